package gcore_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/credentials"
	"keyport/shared/fault"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name, value, wantToken, wantMessage string
	}{
		{"SDK form", "APIKey tok", "tok", ""},
		{"docs form", "apikey tok", "tok", ""},
		{"upper case", "APIKEY tok", "tok", ""},
		{"mixed case", "aPiKeY tok", "tok", ""},
		{"two spaces", "apikey  tok", "tok", ""},
		{"dollar in token", "apikey 1234$abcdef", "1234$abcdef", ""},
		{"missing", "", "", "Authentication credentials were not provided."},
		{"bearer", "Bearer tok", "", "Invalid token header. Send 'Authorization: APIKey <token>'."},
		{"bare token", "tok", "", "Invalid token header. Send 'Authorization: APIKey <token>'."},
		{"tab separator", "apikey\ttok", "", "Invalid token header. Send 'Authorization: APIKey <token>'."},
		{"Kelvin sign in scheme", "api\u212aey tok", "", "Invalid token header. Send 'Authorization: APIKey <token>'."},
		{"scheme prefix only", "apikeyx tok", "", "Invalid token header. Send 'Authorization: APIKey <token>'."},
		{"scheme without token", "apikey", "", "Invalid token header. No credentials provided."},
		{"scheme and spaces", "apikey   ", "", "Invalid token header. No credentials provided."},
		{"space inside token", "apikey to k", "", "Invalid token header. Token string should not contain spaces."},
		{"control in token", "apikey to\x01k", "", "Invalid token header. Token string should not contain spaces."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gcore.ParseAuthorization(tt.value)
			if tt.wantMessage == "" {
				if err != nil || got != tt.wantToken {
					t.Fatalf("got %q, %v; want %q, nil", got, err, tt.wantToken)
				}
				return
			}
			f := fault.As(err)
			if got != "" || f.Kind != fault.Unauthenticated || f.Reason != tt.wantMessage {
				t.Fatalf("got %q, %v (kind %v); want unauthenticated %q", got, err, f.Kind, tt.wantMessage)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	book := gcoretest.Book(t)
	tests := []struct {
		name      string
		values    []string
		wantClass string // "" means accepted
		wantProjs int
	}{
		{"SDK scheme", []string{"APIKey " + gcoretest.TokenAll}, "", 2},
		{"docs scheme", []string{"apikey " + gcoretest.TokenAll}, "", 2},
		{"no header", nil, "NotAuthenticated", 0},
		{"empty header", []string{""}, "NotAuthenticated", 0},
		{"bearer", []string{"Bearer " + gcoretest.TokenAll}, "AuthenticationFailed", 0},
		{"wrong token", []string{"APIKey not-a-token"}, "AuthenticationFailed", 0},
		{"token prefix", []string{"APIKey " + gcoretest.TokenAll[:5]}, "AuthenticationFailed", 0},
		{"two headers", []string{"APIKey " + gcoretest.TokenAll, "APIKey " + gcoretest.TokenAll}, "AuthenticationFailed", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			for _, v := range tt.values {
				r.Header.Add("Authorization", v)
			}
			key, err := gcore.Authenticate(r, book)
			if tt.wantClass == "" {
				if err != nil || len(key.Projects) != tt.wantProjs {
					t.Fatalf("got %v, %v; want a key with %d projects", key, err, tt.wantProjs)
				}
				return
			}
			f := fault.As(err)
			if f.Kind != fault.Unauthenticated || f.Code != tt.wantClass {
				t.Fatalf("got %v (kind %v, code %q); want unauthenticated %s", err, f.Kind, f.Code, tt.wantClass)
			}
			if strings.Contains(f.Reason, gcoretest.TokenAll[:5]) {
				t.Errorf("message %q echoes part of the token", f.Reason)
			}
		})
	}
}

func TestAuthorize(t *testing.T) {
	all := credentials.GcoreKey{APIKey: "a", Projects: []int64{1}}
	region7 := credentials.GcoreKey{APIKey: "b", Projects: []int64{3}, Regions: []int64{7}}
	tests := []struct {
		name    string
		key     credentials.GcoreKey
		scope   gcore.Scope
		wantMsg string // "" means allowed
	}{
		{"granted project any region", all, gcore.Scope{Project: 1, Region: 99}, ""},
		{"granted project and region", region7, gcore.Scope{Project: 3, Region: 7}, ""},
		{"project not granted", all, gcore.Scope{Project: 2, Region: 1}, "Project 2 could not be found"},
		{"region not granted", region7, gcore.Scope{Project: 3, Region: 8}, "Region 8 could not be found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gcore.Authorize(tt.key, tt.scope)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if f := fault.As(err); f.Kind != fault.Forbidden || f.Reason != tt.wantMsg {
				t.Fatalf("got %v (kind %v), want forbidden %q", err, f.Kind, tt.wantMsg)
			}
		})
	}
}

var fixedMessages = map[string]bool{
	"Authentication credentials were not provided.":                 true,
	"Invalid token header. Send 'Authorization: APIKey <token>'.":   true,
	"Invalid token header. No credentials provided.":                true,
	"Invalid token header. Token string should not contain spaces.": true,
}

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{"", "APIKey tok", "apikey  tok", "Bearer x", "apikey", "APIKEY a b", "apikey \x00", "apıkey tok", "api\u212aey tok", "ApIkEy 1234$abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		token, err := gcore.ParseAuthorization(value)
		if err != nil {
			if token != "" {
				t.Fatalf("token %q returned with error %v", token, err)
			}
			if f := fault.As(err); f.Kind != fault.Unauthenticated {
				t.Fatalf("kind %v, want unauthenticated", f.Kind)
			}
			// Messages come from a fixed set, so none can carry any part of the header.
			if !fixedMessages[fault.As(err).Reason] {
				t.Fatalf("message %q is not one of the fixed messages", fault.As(err).Reason)
			}
			return
		}
		if token == "" || strings.ContainsAny(token, " \t\r\n") {
			t.Fatalf("accepted token %q", token)
		}
		if !strings.EqualFold(value[:6], "apikey") || !strings.HasSuffix(value, token) {
			t.Fatalf("accepted %q as token %q", value, token)
		}
		if strings.TrimLeft(value[6:], " ") != token || value[6] != ' ' {
			t.Fatalf("token %q is not what follows the scheme in %q", token, value)
		}
	})
}
