package alibaba

import (
	"keyport/shared/policy"
	"net/http"
	"slices"
	"strings"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/sign/acs3"
)

// Window is how far x-acs-date may be from the server's clock, in either direction (15 minutes:
// docs/wire/alibaba.md, "ACS3 signature"). A nonce is remembered for as long as its request
// could still pass this check.
const Window = 15 * time.Minute

// DateLayout is the x-acs-date format the SDK sends (UTC, second precision).
const DateLayout = "2006-01-02T15:04:05Z"

// requiredSigned are the headers every signature must cover: without them a request could be
// moved to another host, replayed outside the window, or have its body swapped.
var requiredSigned = []string{"host", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce"}

// Verifier authenticates ACS3-HMAC-SHA256 requests against a credentials book. It is safe for
// concurrent use; one Verifier per handler holds that handler's replay cache.
type Verifier struct {
	creds *credentials.Book
	now   func() time.Time
	seen  *replayCache
}

// NewVerifier returns a Verifier reading the clock from now (nil means time.Now).
func NewVerifier(creds *credentials.Book, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	return &Verifier{creds: creds, now: now, seen: newReplayCache(defaultReplayEntries)}
}

// Caller is an authenticated request's identity and the nonce it spent.
type Caller struct {
	AccessKeyID string
	Account     string         // the account the key belongs to: the tenant of everything it creates
	Nonce       string         // x-acs-signature-nonce
	At          time.Time      // server time of the check
	NonceUntil  time.Time      // when the nonce may be used again (its request is no longer fresh)
	Policy      *policy.Policy // the key's policy (nil: full access), which Handle asks
}

// Verify checks r's signature over r and body, then its freshness and nonce. The order is
// deliberate: the cheap shape checks first, and the clock and nonce only after the signature,
// so an unauthenticated caller can neither probe the server's clock nor fill the replay cache.
func (v *Verifier) Verify(r *http.Request, body []byte) (Caller, error) {
	if isLegacy(r) {
		return v.verifyLegacy(r, body)
	}
	a, key, err := identify(v.creds, r, len(body) > 0)
	if err != nil {
		return Caller{}, err
	}
	if !strings.EqualFold(r.Header.Get("x-acs-content-sha256"), acs3.HashPayload(body)) {
		return Caller{}, unauthenticated("x-acs-content-sha256 does not match the request body.").WithCode(CodeSignatureDoesNotMatch)
	}
	if !acs3.Verify(key.Secret, acs3.StringToSign(acs3.RequestCanonical(r, a.SignedHeaders)), a.Signature) {
		return Caller{}, unauthenticated("Specified signature is not matched with our calculation.").WithCode(CodeSignatureDoesNotMatch)
	}
	now := v.now()
	date, err := checkDate(r.Header.Get("x-acs-date"), now)
	if err != nil {
		return Caller{}, err
	}
	return v.admit(r, key, date, now)
}

// admit is the end of every scheme's check, once the signature holds and the request's date
// is in the window: the nonce's form, then its claim in the replay cache.
func (v *Verifier) admit(r *http.Request, key credentials.SigningKey, date, now time.Time) (Caller, error) {
	c := Caller{AccessKeyID: key.ID, Account: key.Account, Policy: key.Policy, Nonce: r.Header.Get("x-acs-signature-nonce"),
		At: now, NonceUntil: nonceUntil(date, now)}
	if err := checkNonce(c.Nonce); err != nil {
		return Caller{}, err
	}
	if !v.seen.claim(c.AccessKeyID+"/"+c.Nonce, now, c.NonceUntil) {
		return Caller{}, replayed()
	}
	return c, nil
}

// Precheck runs the checks of Verify that need no body (the Authorization header's form, the
// AccessKeyId, the signed headers' coverage), refusing with the same faults. A server runs it
// before reading the body, so an unauthenticated client cannot make it hold one; Verify still
// runs every check afterwards. Like Verify, it leaves the clock alone: the date is checked only
// after the signature.
func Precheck(creds *credentials.Book, r *http.Request) error {
	if isLegacy(r) {
		_, _, err := identifyLegacy(creds, r)
		return err
	}
	_, _, err := identify(creds, r, r.ContentLength != 0)
	return err
}

// identify parses the Authorization header, finds the signing key and checks what the
// signature covers; hasBody says whether the request carries a body.
func identify(creds *credentials.Book, r *http.Request, hasBody bool) (acs3.Authorization, credentials.SigningKey, error) {
	a, err := parseHeader(r)
	if err != nil {
		return a, credentials.SigningKey{}, err
	}
	key, ok := creds.Alibaba(a.AccessKeyID)
	audit.SetPrincipal(r.Context(), a.AccessKeyID, key.Account) // an id, never the secret: the caller, known or not
	if !ok {
		return a, key, unauthenticated("Specified access key is not found.").WithCode(CodeAccessKeyNotFound)
	}
	return a, key, checkCoverage(r, a.SignedHeaders, hasBody)
}

// parseHeader finds exactly one ACS3 Authorization header and parses it.
func parseHeader(r *http.Request) (acs3.Authorization, error) {
	vals := r.Header.Values("Authorization")
	if len(vals) == 0 || vals[0] == "" {
		return acs3.Authorization{}, unauthenticated("The request has no Authorization header.")
	}
	if len(vals) > 1 {
		return acs3.Authorization{}, unauthenticated("The request has more than one Authorization header.")
	}
	a, err := acs3.ParseAuthorization(vals[0])
	if err != nil {
		return acs3.Authorization{}, unauthenticated("The Authorization header is not a well-formed ACS3-HMAC-SHA256 value.")
	}
	return a, nil
}

// checkCoverage makes the signature cover what it must: the required headers (present and
// non-empty), content-type whenever there is a body, and every x-acs-* or content-type header
// the request carries. The last rule refuses a header smuggled in next to a valid signature,
// which the vendor's own header-driven canonicalisation would have signed.
func checkCoverage(r *http.Request, signed []string, hasBody bool) error {
	for _, name := range requiredSigned {
		if !slices.Contains(signed, name) {
			return unauthenticated("SignedHeaders must include " + name + ".")
		}
		if name != "host" && strings.TrimSpace(r.Header.Get(name)) == "" {
			return unauthenticated("The signed header " + name + " is missing.")
		}
	}
	if hasBody && !slices.Contains(signed, "content-type") {
		return unauthenticated("SignedHeaders must include content-type when there is a body.")
	}
	for k := range r.Header {
		n := strings.ToLower(k)
		if (n == "content-type" || strings.HasPrefix(n, "x-acs-")) && !slices.Contains(signed, n) {
			return unauthenticated("The header " + n + " is present but not signed.")
		}
	}
	return nil
}

// checkDate parses x-acs-date and checks it is within Window of now, either way.
func checkDate(v string, now time.Time) (time.Time, error) {
	date, err := time.Parse(DateLayout, v)
	if err != nil {
		return time.Time{}, fault.New(fault.Expired, "x-acs-date", "must be a UTC time like 2006-01-02T15:04:05Z").
			WithCode(CodeTimeStampFormat)
	}
	if d := now.Sub(date); d > Window || d < -Window {
		return time.Time{}, fault.New(fault.Expired, "x-acs-date", "is more than 15 minutes away from the server's time")
	}
	return date, nil
}

// nonceUntil is when a request dated date stops passing checkDate: date+Window, but never
// before now+Window. A request dated in the future stays fresh until date+Window (up to
// now+2·Window), so its nonce must be remembered that long, not just now+Window.
func nonceUntil(date, now time.Time) time.Time {
	if date.After(now) {
		return date.Add(Window)
	}
	return now.Add(Window)
}

// maxNonceLen bounds x-acs-signature-nonce; the SDK sends 32 hex characters, UUIDs are 36.
const maxNonceLen = 128

// checkNonce accepts 1..maxNonceLen letters, digits, '-', '_' and '.': every nonce the SDKs
// send, and nothing that could split the store key it becomes part of.
func checkNonce(n string) error {
	if n == "" || len(n) > maxNonceLen {
		return fault.Newf(fault.Invalid, "x-acs-signature-nonce", "must be 1 to %d characters", maxNonceLen)
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fault.New(fault.Invalid, "x-acs-signature-nonce", "may contain only letters, digits, '-', '_' and '.'")
		}
	}
	return nil
}

func unauthenticated(reason string) *fault.Error {
	return fault.New(fault.Unauthenticated, "", reason)
}

func replayed() *fault.Error {
	return fault.New(fault.Replayed, "x-acs-signature-nonce", "was already used; send a new nonce with every request")
}
