package kmsecret

import (
	"testing"

	"keyport/shared/fault"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept, stored string
		k5             bool
		wantType       string
		wantText       bool
		wantErr        bool
	}{
		{"", OctetStream, true, OctetStream, false, false},
		{"", TextPlain, true, OctetStream, false, false},
		{"*/*", TextPlain, true, TextPlain, true, false},
		{"*/*", "", true, OctetStream, false, false},
		{"*/*", OctetStream, false, OctetStream, false, false},
		{"text/plain", TextPlain, true, "text/plain", true, false},
		{"TEXT/PLAIN; charset=UTF-8", TextPlain, true, "TEXT/PLAIN; charset=UTF-8", true, false},
		{"text/plain", OctetStream, true, "", false, true},
		{"text/plain", OctetStream, false, "text/plain", true, false},
		{"text/plain; charset=latin1", TextPlain, false, "", false, true},
		{"application/pkcs8", OctetStream, true, PKCS8, false, false},
		{"application/octet-stream;q=1", TextPlain, true, OctetStream, false, false},
		{"text/plain, */*", TextPlain, false, "", false, true},
		{"image/png", OctetStream, false, "", false, true},
	}
	for _, tt := range tests {
		gotType, gotText, err := Negotiate(tt.accept, tt.stored, tt.k5)
		if (err != nil) != tt.wantErr || gotType != tt.wantType || gotText != tt.wantText {
			t.Errorf("Negotiate(%q, %q, k5=%v) = %q, %v, %v; want %q, %v, error %v",
				tt.accept, tt.stored, tt.k5, gotType, gotText, err, tt.wantType, tt.wantText, tt.wantErr)
		}
		if err != nil && fault.KindOf(err) != fault.NotAcceptable {
			t.Errorf("Negotiate(%q): got kind %v, want not acceptable", tt.accept, fault.KindOf(err))
		}
	}
}

func TestWantsMetadata(t *testing.T) {
	for accept, want := range map[string]bool{"": true, "application/json": true, "*/*": true, "Application/JSON; charset=utf-8": true,
		"text/plain": false, "application/octet-stream": false, "application/json, text/plain": false} {
		if got := WantsMetadata(accept); got != want {
			t.Errorf("WantsMetadata(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{"6f9619ff-8b86-4d11-b42d-00cf4fc964ff": true, "6F9619FF-8B86-4D11-B42D-00CF4FC964FF": false,
		"6f9619ff8b864d11b42d00cf4fc964ff": false, "{6f9619ff-8b86-4d11-b42d-00cf4fc964f}": false, "": false, "secrets": false} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

// FuzzNegotiate: any Accept header and stored type give a type to answer in or 406, never
// anything else, and text is only ever chosen for a text/plain answer.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*/*", "text/plain", "text/plain; charset=utf-8", "application/octet-stream", "a/b, c/d;q=0.1"} {
		f.Add(s, TextPlain, true)
		f.Add(s, OctetStream, false)
	}
	f.Fuzz(func(t *testing.T, accept, stored string, k5 bool) {
		ct, text, err := Negotiate(accept, stored, k5)
		if err != nil {
			if fault.KindOf(err) != fault.NotAcceptable {
				t.Fatalf("Negotiate(%q, %q): got %v, want 406", accept, stored, err)
			}
			return
		}
		if ct == "" || text != IsText(MediaType(ct)) && MediaType(accept) != "*/*" {
			t.Fatalf("Negotiate(%q, %q) = %q, text %v", accept, stored, ct, text)
		}
		_ = WantsMetadata(accept)
	})
}
