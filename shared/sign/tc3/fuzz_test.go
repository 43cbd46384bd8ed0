package tc3

import (
	"errors"
	"slices"
	"testing"
)

// FuzzParseAuthorization checks that the parser never panics, that every failure is
// ErrMalformed, and that whatever it accepts renders back to a header it parses identically.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("TC3-HMAC-SHA256 Credential=AKIDx/2026-08-21/apigateway/tc3_request, SignedHeaders=content-type;host, Signature=" + sig)
	f.Add("TC3-HMAC-SHA256 Credential=AKIDx/2026-08-21/teo/tc3_request,SignedHeaders=content-type;host;x-tc-action,Signature=" + sig)
	f.Add("TC3-HMAC-SHA256 Signature=00, Credential=a/b/c/d")
	f.Add("TC3-HMAC-SHA256 ,,,")
	f.Add("TC3-HMAC-SHA256 Credential====")
	f.Add("")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := ParseAuthorization(header)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("got error %v, want ErrMalformed", err)
			}
			return
		}
		b, err := ParseAuthorization(a.String())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", a.String(), err)
		}
		if a.SecretID != b.SecretID || a.Scope() != b.Scope() ||
			!slices.Equal(a.SignedHeaders, b.SignedHeaders) || !slices.Equal(a.Signature, b.Signature) {
			t.Fatalf("round trip changed %+v into %+v", a, b)
		}
	})
}
