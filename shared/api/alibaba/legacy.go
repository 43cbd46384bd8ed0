package alibaba

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/sign/acs1"
)

// The legacy ROA signature (package acs1) is what Terraform's alicloud provider sends: its ROA
// calls go through tea-roa's client, which signs "acs <AccessKeyId>:<HMAC-SHA1>"
// (docs/wire/alibaba.md, "Legacy ROA signature"). It is accepted next to ACS3 with the same
// key, date window and nonce rules; what it cannot cover (host, and a body sent without
// content-md5) is stated in acs1's doc.

// isLegacy reports whether r's one Authorization header is in the legacy scheme.
func isLegacy(r *http.Request) bool {
	vals := r.Header.Values("Authorization")
	return len(vals) == 1 && strings.HasPrefix(vals[0], acs1.Scheme)
}

// legacyRequired are the headers a legacy request must carry, and the value a header must
// have ("" for any non-empty value): the date and nonce make it fresh and unrepeatable, and
// the method and version say which algorithm signed it.
var legacyRequired = []struct{ name, want string }{
	{"date", ""},
	{"x-acs-signature-nonce", ""},
	{"x-acs-signature-method", "HMAC-SHA1"},
	{"x-acs-signature-version", "1.0"},
}

// identifyLegacy parses a legacy Authorization header, finds the signing key and checks the
// headers the scheme needs; it returns the signature to check.
func identifyLegacy(creds *credentials.Book, r *http.Request) (string, credentials.SigningKey, error) {
	id, sig, err := acs1.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", credentials.SigningKey{}, unauthenticated("The Authorization header is not a well-formed acs <AccessKeyId>:<signature> value.")
	}
	key, ok := creds.Alibaba(id)
	audit.SetPrincipal(r.Context(), id, key.Account)
	if !ok {
		return "", key, unauthenticated("Specified access key is not found.").WithCode(CodeAccessKeyNotFound)
	}
	for _, h := range legacyRequired {
		v := strings.TrimSpace(r.Header.Get(h.name))
		if v == "" {
			return "", key, unauthenticated("The header " + h.name + " is missing.")
		}
		if h.want != "" && v != h.want {
			return "", key, unauthenticated("The header " + h.name + " must be " + h.want + ".")
		}
	}
	return sig, key, nil
}

// verifyLegacy is Verify for the legacy scheme: signature, then content-md5 when sent, then
// the date window and the nonce, as for ACS3.
func (v *Verifier) verifyLegacy(r *http.Request, body []byte) (Caller, error) {
	sig, key, err := identifyLegacy(v.creds, r)
	if err != nil {
		return Caller{}, err
	}
	if !acs1.Verify(key.Secret, acs1.StringToSign(r), sig) {
		return Caller{}, unauthenticated("Specified signature is not matched with our calculation.").WithCode(CodeSignatureDoesNotMatch)
	}
	if m := r.Header.Get("content-md5"); m != "" && subtle.ConstantTimeCompare([]byte(m), []byte(contentMD5(body))) != 1 {
		return Caller{}, unauthenticated("content-md5 does not match the request body.").WithCode(CodeSignatureDoesNotMatch)
	}
	now := v.now()
	date, err := checkHTTPDate(r.Header.Get("date"), now)
	if err != nil {
		return Caller{}, err
	}
	return v.admit(r, key, date, now)
}

func contentMD5(body []byte) string {
	sum := md5.Sum(body)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// checkHTTPDate parses the date header (an HTTP date in GMT, as the clients send) and checks it
// is within Window of now, either way.
func checkHTTPDate(v string, now time.Time) (time.Time, error) {
	date, err := time.Parse(http.TimeFormat, v)
	if err != nil {
		return time.Time{}, fault.New(fault.Expired, "date", "must be an HTTP date like Mon, 02 Jan 2006 15:04:05 GMT").
			WithCode(CodeTimeStampFormat)
	}
	if d := now.Sub(date); d > Window || d < -Window {
		return time.Time{}, fault.New(fault.Expired, "date", "is more than 15 minutes away from the server's time")
	}
	return date, nil
}
