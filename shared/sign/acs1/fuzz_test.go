package acs1

import (
	"strings"
	"testing"
)

// FuzzParseAuthorization checks that parsing never panics and that every accepted value is
// exactly "acs " + id + ":" + signature, with no space or colon in the id.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"acs LTAIexample:" + Signature("k", "s"), "acs LTAI:c2ln", "acs :", "acs a:b:c",
		"ACS3-HMAC-SHA256 Credential=x", "", "acs \x00:" + Signature("k", "s"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		id, sig, err := ParseAuthorization(v)
		if err != nil {
			return
		}
		if v != Scheme+id+":"+sig || strings.ContainsAny(id, " :") || id == "" {
			t.Fatalf("accepted %q as id %q, signature %q", v, id, sig)
		}
	})
}
