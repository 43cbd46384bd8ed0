package alibaba

import (
	"testing"

	"keyport/shared/fault"
)

// TestDecodeBody: what each refusal of a request body is, and that an empty body is an empty
// object.
func TestDecodeBody(t *testing.T) {
	type inner struct {
		ID string `json:"id"`
	}
	type request struct {
		Name   string `json:"name"`
		Config inner  `json:"config"`
	}
	tests := []struct {
		name, contentType, body string
		ok                      bool // decoded; wantName is the name read
		wantName                string
		wantKind                fault.Kind // 0 (Internal): any client fault
		wantField, wantReason   string
	}{
		{name: "empty body", ok: true},
		{name: "object", contentType: "application/json; charset=utf-8", body: `{"name":"a","other":1}`, ok: true, wantName: "a"},
		{name: "text/plain", contentType: "text/plain", body: `{}`, wantKind: fault.UnsupportedType, wantField: "Content-Type"},
		{name: "no Content-Type", body: `{}`, wantKind: fault.UnsupportedType, wantField: "Content-Type"},
		{name: "not Unicode", contentType: "application/json", body: "{\"name\":\"\xff\"}"},
		{name: "string of the wrong type", contentType: "application/json", body: `{"name":5}`, wantKind: fault.Invalid, wantField: "name", wantReason: "must be a JSON string"},
		{name: "object of the wrong type", contentType: "application/json", body: `{"config":"x"}`, wantKind: fault.Invalid, wantField: "config", wantReason: "must be a JSON object"},
		{name: "array", contentType: "application/json", body: `[]`, wantKind: fault.Malformed},
		{name: "syntax", contentType: "application/json", body: `{"name":`, wantKind: fault.Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req request
			err := DecodeBody(tt.contentType, []byte(tt.body), &req)
			switch {
			case tt.ok:
				if err != nil || req.Name != tt.wantName {
					t.Fatalf("got %v, name %q; want no error, name %q", err, req.Name, tt.wantName)
				}
			case tt.wantKind == fault.Internal:
				if !fault.IsClient(err) {
					t.Fatalf("got %v, want a client fault", err)
				}
			default:
				f := fault.As(err)
				if f == nil || f.Kind != tt.wantKind || f.Field != tt.wantField || tt.wantReason != "" && f.Reason != tt.wantReason {
					t.Fatalf("got %v, want %v on %q (%q)", err, tt.wantKind, tt.wantField, tt.wantReason)
				}
			}
		})
	}
}
