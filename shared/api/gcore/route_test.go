package gcore_test

import (
	"net/http"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretest"
)

func TestRoute(t *testing.T) {
	const pattern = "POST /cloud/v1/things/{id}"
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gcore.WriteJSON(w, 200, map[string]string{"id": r.PathValue("id")})
	})
	alone := gcore.Route(pattern, inner)
	outer := http.NewServeMux()
	outer.Handle(pattern, alone)
	tests := []struct {
		name         string
		h            http.Handler
		method, path string
		wantStatus   int
		wantClass    string
	}{
		{"alone serves the pattern", alone, "POST", "/cloud/v1/things/7", 200, ""},
		{"mounted serves the pattern", outer, "POST", "/cloud/v1/things/7", 200, ""},
		{"wrong method", alone, "GET", "/cloud/v1/things/7", 405, "HTTPError"},
		{"other path", alone, "POST", "/cloud/v1/other", 404, "NotFoundError"},
		{"extra segment", alone, "POST", "/cloud/v1/things/7/x", 404, "NotFoundError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(tt.h, tt.method, tt.path, nil, "")
			if w.Code != tt.wantStatus {
				t.Fatalf("status: got %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantClass == "" {
				if got, want := w.Body.String(), "{\"id\":\"7\"}\n"; got != want {
					t.Fatalf("body: got %q, want %q", got, want)
				}
				return
			}
			if e := gcoretest.DecodeError(t, w.Body.Bytes()); e.ExceptionClass != tt.wantClass {
				t.Fatalf("exception_class: got %q, want %q", e.ExceptionClass, tt.wantClass)
			}
			if tt.wantStatus == 405 && w.Header().Get("Allow") != "POST" {
				t.Errorf("Allow: got %q, want POST", w.Header().Get("Allow"))
			}
		})
	}
}
