package tc3

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const sig = "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"

func TestParseAuthorization(t *testing.T) {
	sdk := "TC3-HMAC-SHA256 Credential=AKIDx/2026-08-21/apigateway/tc3_request, SignedHeaders=content-type;host, Signature=" + sig
	tests := []struct {
		name, header string
		wantHeaders  []string
	}{
		{"sdk form", sdk, []string{"content-type", "host"}},
		{"no spaces", strings.ReplaceAll(sdk, ", ", ","), []string{"content-type", "host"}},
		{"spaces both sides", strings.ReplaceAll(sdk, ", ", " , "), []string{"content-type", "host"}},
		{"leading and trailing space", "  " + sdk + " ", []string{"content-type", "host"}},
		{"parts reordered", "TC3-HMAC-SHA256 Signature=" + sig + ", SignedHeaders=content-type;host;x-tc-action, Credential=AKIDx/2026-08-21/apigateway/tc3_request", []string{"content-type", "host", "x-tc-action"}},
		{"upper-case header names lowered", strings.Replace(sdk, "content-type;host", "Content-Type;Host", 1), []string{"content-type", "host"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAuthorization(tt.header)
			if err != nil {
				t.Fatalf("ParseAuthorization: got error %v, want nil", err)
			}
			if a.SecretID != "AKIDx" || a.Date != "2026-08-21" || a.Service != "apigateway" {
				t.Errorf("got id %q date %q service %q, want AKIDx 2026-08-21 apigateway", a.SecretID, a.Date, a.Service)
			}
			if !slices.Equal(a.SignedHeaders, tt.wantHeaders) {
				t.Errorf("got SignedHeaders %q, want %q", a.SignedHeaders, tt.wantHeaders)
			}
			if len(a.Signature) != 32 {
				t.Errorf("got %d signature bytes, want 32", len(a.Signature))
			}
		})
	}
}

func TestParseAuthorizationRejects(t *testing.T) {
	good := "Credential=AKIDx/2026-08-21/apigateway/tc3_request, SignedHeaders=content-type;host, Signature=" + sig
	tests := []struct{ name, header string }{
		{"empty", ""},
		{"algorithm only", "TC3-HMAC-SHA256"},
		{"other algorithm", "HMAC-SHA256 " + good},
		{"lower-case algorithm", "tc3-hmac-sha256 " + good},
		{"no Signature", "TC3-HMAC-SHA256 Credential=AKIDx/2026-08-21/apigateway/tc3_request, SignedHeaders=content-type;host"},
		{"Signature twice", "TC3-HMAC-SHA256 " + good + ", Signature=" + sig},
		{"unknown part", "TC3-HMAC-SHA256 " + good + ", Nonce=1"},
		{"part without =", "TC3-HMAC-SHA256 " + good + ", x"},
		{"short signature", strings.Replace("TC3-HMAC-SHA256 "+good, sig, sig[:62], 1)},
		{"non-hex signature", strings.Replace("TC3-HMAC-SHA256 "+good, sig, "zz"+sig[2:], 1)},
		{"credential three parts", strings.Replace("TC3-HMAC-SHA256 "+good, "/tc3_request", "", 1)},
		{"wrong terminator", strings.Replace("TC3-HMAC-SHA256 "+good, "tc3_request", "tc4_request", 1)},
		{"empty secret id", strings.Replace("TC3-HMAC-SHA256 "+good, "AKIDx", "", 1)},
		{"bad date", strings.Replace("TC3-HMAC-SHA256 "+good, "2026-08-21", "2026-8-21", 1)},
		{"empty service", strings.Replace("TC3-HMAC-SHA256 "+good, "/apigateway/", "//", 1)},
		{"empty signed header", strings.Replace("TC3-HMAC-SHA256 "+good, "content-type;host", "content-type;;host", 1)},
		{"signed header with space", strings.Replace("TC3-HMAC-SHA256 "+good, "content-type;host", "content type;host", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAuthorization(tt.header)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("got error %v, want ErrMalformed", err)
			}
			if strings.Contains(err.Error(), sig[:16]) {
				t.Errorf("error %q echoes the signature", err)
			}
		})
	}
}

func TestAuthorizationStringRoundTrip(t *testing.T) {
	h := "TC3-HMAC-SHA256 Credential=AKIDx/2026-08-21/teo/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=" + sig
	a, err := ParseAuthorization(h)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.String(); got != h {
		t.Errorf("got %q, want %q", got, h)
	}
}

// TestParseAuthorizationHostService: the Node.js and Java SDKs put the first dot-separated label
// of their endpoint in the scope, which is the whole host:port when the host has no dot.
func TestParseAuthorizationHostService(t *testing.T) {
	tests := []struct {
		service string
		ok      bool
	}{
		{"127", true},
		{"localhost:8080", true},
		{"[::1]:8080", true},
		{"a,b", false},
		{"a;b", false},
		{"a b", false},
		{"a=b", false},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			h := "TC3-HMAC-SHA256 Credential=AKIDx/2026-08-21/" + tt.service + "/tc3_request, SignedHeaders=content-type;host, Signature=" + sig
			a, err := ParseAuthorization(h)
			if gotOK := err == nil && a.Service == tt.service; gotOK != tt.ok {
				t.Errorf("got service %q error %v, want accepted: %v", a.Service, err, tt.ok)
			}
		})
	}
}
