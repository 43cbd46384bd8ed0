package acs3

import "testing"

// FuzzParseAuthorization checks that parsing never panics and that every accepted value
// renders back to a value that parses to the same thing.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders=content-type;host;x-acs-date,Signature=" + sig64,
		"ACS3-HMAC-SHA256 Credential=AK, SignedHeaders=host, Signature=" + sig64,
		"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;host,Signature=" + sig64,
		"ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=",
		"acs LTAI:sig",
		"ACS3-HMAC-SHA256 ,,,==",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		a, err := ParseAuthorization(v)
		if err != nil {
			return
		}
		b, err := ParseAuthorization(a.Value())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", a.Value(), err)
		}
		if b.Value() != a.Value() {
			t.Fatalf("round trip: got %q, want %q", b.Value(), a.Value())
		}
	})
}
