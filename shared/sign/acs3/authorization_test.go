package acs3

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const sig64 = "79f16a76def6daac98f05b951fc84e17e8ec1bddc8f0d4a4fe24612895dcc507"

func TestParseAuthorization(t *testing.T) {
	good := "ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders=content-type;host;x-acs-date,Signature=" + sig64
	ok := []struct {
		name, in string
		want     Authorization
	}{
		{"sdk form", good, Authorization{"LTAIexample", []string{"content-type", "host", "x-acs-date"}, sig64}},
		{"spaces after commas", strings.ReplaceAll(good, ",", ", "), Authorization{"LTAIexample", []string{"content-type", "host", "x-acs-date"}, sig64}},
		{"parts in another order", "ACS3-HMAC-SHA256 Signature=" + strings.ToUpper(sig64) + ",SignedHeaders=host,Credential=AK",
			Authorization{"AK", []string{"host"}, sig64}},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAuthorization(tc.in)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got.AccessKeyID != tc.want.AccessKeyID || got.Signature != tc.want.Signature ||
				!slices.Equal(got.SignedHeaders, tc.want.SignedHeaders) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	bad := []struct{ name, in string }{
		{"empty", ""},
		{"other algorithm", strings.Replace(good, "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1)},
		{"legacy acs", "acs LTAIexample:c2lnbmF0dXJl"},
		{"no space after algorithm", strings.Replace(good, " ", "", 1)},
		{"missing credential", "ACS3-HMAC-SHA256 SignedHeaders=host,Signature=" + sig64},
		{"missing signed headers", "ACS3-HMAC-SHA256 Credential=AK,Signature=" + sig64},
		{"missing signature", "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host"},
		{"duplicate credential", good + ",Credential=AK2"},
		{"unknown part", good + ",Region=cn"},
		{"part without =", good + ",junk"},
		{"trailing comma", good + ","},
		{"empty credential", strings.Replace(good, "LTAIexample", "", 1)},
		{"credential with slash", strings.Replace(good, "LTAIexample", "LTAI/x", 1)},
		{"credential too long", strings.Replace(good, "LTAIexample", strings.Repeat("A", 129), 1)},
		{"upper-case header", strings.Replace(good, "host", "Host", 1)},
		{"unsorted headers", strings.Replace(good, "content-type;host", "host;content-type", 1)},
		{"duplicate header", strings.Replace(good, "content-type;host", "host;host", 1)},
		{"empty header name", strings.Replace(good, "content-type;host", "content-type;;host", 1)},
		{"short signature", good[:len(good)-1]},
		{"long signature", good + "0"},
		{"non-hex signature", strings.Replace(good, sig64, strings.Repeat("g", 64), 1)},
		{"too long", good + strings.Repeat(" ", maxHeaderLen)},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := ParseAuthorization(tc.in); !errors.Is(err, ErrMalformed) {
				t.Errorf("got %+v, %v; want ErrMalformed", got, err)
			}
		})
	}
}

func TestAuthorizationValueRoundTrip(t *testing.T) {
	a := Authorization{"LTAIexample", []string{"host", "x-acs-date"}, sig64}
	want := "ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders=host;x-acs-date,Signature=" + sig64
	if got := a.Value(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	back, err := ParseAuthorization(a.Value())
	if err != nil || back.Value() != want {
		t.Errorf("got %q, %v; want %q", back.Value(), err, want)
	}
}
