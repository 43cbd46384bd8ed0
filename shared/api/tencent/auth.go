package tencent

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/sign/tc3"
)

// MaxSkew is how far X-TC-Timestamp may be from the server clock, either way. Tencent's
// AuthFailure.SignatureExpire is documented as "more than five minutes".
const MaxSkew = 5 * time.Minute

// Tencent's common authentication codes (docs/wire/tencent.md, "Common error codes").
const (
	codeInvalidAuthorization = "AuthFailure.InvalidAuthorization"
	codeSecretIDNotFound     = "AuthFailure.SecretIdNotFound"
	codeSignatureFailure     = "AuthFailure.SignatureFailure"
	codeSignatureExpire      = "AuthFailure.SignatureExpire"
)

// authenticator checks TC3 signatures against a credentials book.
type authenticator struct {
	book *credentials.Book
	now  func() time.Time
}

// signer is a request whose Authorization header passed every check but the signature itself.
type signer struct {
	auth tc3.Authorization
	key  credentials.SigningKey
}

// precheck runs every check of the request's TC3 authentication for act that needs no body:
// the header's form, the timestamp's window, the credential scope and the SecretId. It runs
// before the body is read, so a caller without a valid SecretId and a fresh timestamp never
// makes the server hold a body.
func (au authenticator) precheck(r *http.Request, act Action) (signer, error) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return signer{}, err
	}
	// Looked up before the other checks only so that every later refusal is audited with the
	// caller it names (an id, never the key); the refusal order is unchanged.
	key, ok := au.book.Tencent(a.SecretID)
	audit.SetPrincipal(r.Context(), a.SecretID, key.Account)
	ts, err := au.timestamp(r.Header.Get("X-TC-Timestamp"))
	if err != nil {
		return signer{}, err
	}
	if err := checkScope(a, act, tc3.FromHTTP(r, nil).Header("host"), ts); err != nil {
		return signer{}, err
	}
	if !ok {
		return signer{}, unauthenticated(codeSecretIDNotFound, "The SecretId is not found; it does not exist, or is disabled or deleted.")
	}
	if r.Header.Get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
		// The body carries the secret being created; an unsigned body could be swapped under
		// a captured signature for as long as the timestamp is valid.
		return signer{}, unauthenticated(codeSignatureFailure, "Unsigned payloads are not accepted; sign the request body.")
	}
	return signer{auth: a, key: key}, nil
}

// verify checks the signature over the request and its body and returns the signer's account.
func (s signer) verify(r *http.Request, body []byte) (string, error) {
	if !signedAsSent(s.key.Secret, s.auth, r.Header.Get("X-TC-Timestamp"), tc3.FromHTTP(r, body)) {
		return "", unauthenticated(codeSignatureFailure, "The request signature does not match; check the SecretKey and the signing steps.")
	}
	return s.key.Account, nil
}

// signedAsSent checks the signature over the request as sent and, when that fails and the Host
// has a port, over the Host without its port: the Node.js SDK sends Host "127.0.0.1:8080" but signs
// "host:127.0.0.1" (its URL's hostname). Each form is one the client itself signed, so the
// signature is always checked in full; for a Node.js client the signature binds the host name
// but not the port, which is all that client ever binds.
func signedAsSent(secret string, a tc3.Authorization, timestamp string, req tc3.Request) bool {
	if good, err := tc3.Verify(secret, a, timestamp, req); err == nil && good {
		return true
	}
	host := req.Header("host")
	name, ok := hostName(host)
	if !ok {
		return false
	}
	header := req.Header
	req.Header = func(n string) string {
		if n == "host" {
			return name
		}
		return header(n)
	}
	good, err := tc3.Verify(secret, a, timestamp, req)
	return err == nil && good
}

// hostName is host without its port, and whether it had one.
func hostName(host string) (string, bool) {
	name, port, err := net.SplitHostPort(host)
	if err != nil || port == "" {
		return "", false
	}
	if strings.Contains(name, ":") {
		name = "[" + name + "]" // an IPv6 literal, as a URL's hostname keeps it
	}
	return name, true
}

// parseAuthorization parses the header, requiring content-type and host among the signed
// headers so that a signature always binds the body's type and the server it was meant for.
func parseAuthorization(h string) (tc3.Authorization, error) {
	if h == "" {
		return tc3.Authorization{}, unauthenticated(codeInvalidAuthorization, "The Authorization header is missing.")
	}
	a, err := tc3.ParseAuthorization(h)
	if err == nil {
		err = tc3.CheckSignedHeaders(a.SignedHeaders)
	}
	if err != nil {
		// Both errors name the broken part, never the header's content.
		var msg string
		if errors.Is(err, tc3.ErrSignedHeaders) {
			msg = "The Authorization header's SignedHeaders must include content-type and host."
		} else {
			msg = "The Authorization header is malformed: it " + strings.TrimPrefix(err.Error(), "tc3: Authorization ") + "."
		}
		return a, unauthenticated(codeInvalidAuthorization, msg)
	}
	return a, nil
}

// timestamp parses X-TC-Timestamp and checks it is within MaxSkew of now.
//
// A missing timestamp is MissingParameter and a non-integer one InvalidParameter: Timestamp is
// a documented required common parameter of type Integer, and those are Tencent's common codes
// for an absent parameter and for one of the wrong type. AuthFailure.InvalidAuthorization is
// documented for a malformed Authorization header, which this is not.
func (au authenticator) timestamp(v string) (int64, error) {
	if v == "" {
		return 0, fault.New(fault.Missing, "X-TC-Timestamp", "is required")
	}
	ts, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fault.New(fault.Malformed, "X-TC-Timestamp", "must be an integer number of Unix seconds")
	}
	now := au.now().Unix()
	skew := int64(MaxSkew / time.Second)
	// Compared this way round so that no subtraction can overflow.
	if ts < now-skew || ts > now+skew {
		return 0, fault.New(fault.Expired, "", "X-TC-Timestamp differs from the server time by more than 5 minutes.").WithCode(codeSignatureExpire)
	}
	return ts, nil
}

// checkScope requires the credential scope to name the UTC date of the timestamp and a service
// the client may have meant: the action's service, as the Go and Python SDKs sign it, or the
// first label of the Host the client sent (everything before the first dot, port included when
// there is no dot), as the Node.js and Java SDKs sign it: they take the service from their
// endpoint, so pointed at "127.0.0.1:8080" they sign for "127" and at "localhost:8080" for
// "localhost:8080". Either way the signature is then verified over that exact scope, and Host
// is a signed header (parseAuthorization requires it), so the host-derived service is bound
// by the signature too. Any other service is refused: a signature meant for another service
// on another host does not carry over.
func checkScope(a tc3.Authorization, act Action, host string, ts int64) error {
	if a.Service != act.Service && a.Service != hostLabel(host) {
		return unauthenticated(codeSignatureFailure, "The credential scope must name the service "+act.Service+" or the first label of the Host.")
	}
	if a.Date != time.Unix(ts, 0).UTC().Format(tc3.DateLayout) {
		return unauthenticated(codeSignatureFailure, "The credential scope date must be the UTC date of X-TC-Timestamp.")
	}
	return nil
}

// hostLabel is the text of host before its first dot, as the Node.js and Java SDKs derive a
// service from their endpoint; "" for a host that starts with a dot or is empty.
func hostLabel(host string) string {
	label, _, _ := strings.Cut(host, ".")
	return label
}

func unauthenticated(code, msg string) error {
	return fault.New(fault.Unauthenticated, "", msg).WithCode(code)
}
