package gcore_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/fault"
)

func TestPositiveID(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1", 1, true},
		{"01", 1, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"0", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1.0", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"9223372036854775808", 0, false},
		{"１", 0, false}, // full-width digit
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := gcore.PositiveID(tt.in)
			if got != tt.want && ok || ok != tt.ok {
				t.Fatalf("got %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPathScope(t *testing.T) {
	tests := []struct {
		path string
		want gcore.Scope
		ok   bool
	}{
		{"/p/1/2", gcore.Scope{Project: 1, Region: 2}, true},
		{"/p/0/2", gcore.Scope{}, false},
		{"/p/1/x", gcore.Scope{}, false},
		{"/p/-1/2", gcore.Scope{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var got gcore.Scope
			var err error
			mux := http.NewServeMux()
			mux.HandleFunc("/p/{project_id}/{region_id}", func(w http.ResponseWriter, r *http.Request) {
				got, err = gcore.PathScope(r)
			})
			mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tt.path, nil))
			if tt.ok && (err != nil || got != tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			if !tt.ok && fault.KindOf(err) != fault.NotFound {
				t.Fatalf("got %v, %v; want a NotFound fault", got, err)
			}
		})
	}
}

func TestScopeTenant(t *testing.T) {
	if got := (gcore.Scope{Project: 12, Region: 3}).Tenant(); got != "12" {
		t.Fatalf("got %q, want 12", got)
	}
}

func TestRequireJSON(t *testing.T) {
	tests := []struct {
		ct string
		ok bool
	}{
		{"", true},
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"Application/JSON", true},
		{"application/x-www-form-urlencoded", false},
		{"text/plain", false},
		{"application/json-patch+json", false},
		{"garbage;;", false},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			if tt.ct != "" {
				r.Header.Set("Content-Type", tt.ct)
			}
			err := gcore.RequireJSON(r)
			if tt.ok != (err == nil) || err != nil && fault.KindOf(err) != fault.UnsupportedType {
				t.Fatalf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
