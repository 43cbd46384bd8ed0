package tencent_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
)

// sdkSigner reproduces, independently of package tc3, what an official SDK signs for a TC3
// POST: which content type it sends, which host line it puts in the canonical request and
// which service it puts in the credential scope, given the endpoint it was configured with.
type sdkSigner struct {
	name        string
	contentType string
	// host returns the canonical request's host line for an endpoint (host[:port]).
	host func(endpoint string) string
	// service returns the credential scope's service for an endpoint.
	service func(endpoint string) string
}

var (
	// The Node.js SDK: service = endpoint.split(".")[0]; host line = new URL(url).hostname
	// (no port), while the Host header it sends keeps the port.
	nodeSDK = sdkSigner{"Node.js", "application/json",
		nodeHostname, firstLabel}
	// The Java SDK: service = endpoint.split("\\.")[0]; host line = the endpoint as configured,
	// port included; okhttp forces a charset onto the content type, which it signs.
	javaSDK = sdkSigner{"Java", "application/json; charset=utf-8",
		func(ep string) string { return ep },
		firstLabel}
)

// nodeHostname is what Node's URL.hostname gives: the host without its port, IPv6 brackets kept
// (Go's url.URL.Hostname drops them).
func nodeHostname(ep string) string {
	u, _ := url.Parse("http://" + ep + "/")
	if strings.HasPrefix(ep, "[") {
		return "[" + u.Hostname() + "]"
	}
	return u.Hostname()
}

func firstLabel(ep string) string { label, _, _ := strings.Cut(ep, "."); return label }

// request builds the POST that the SDK sends to endpoint, signed as the SDK signs it.
func (s sdkSigner) request(t *testing.T, endpoint, action, body string, at time.Time) *http.Request {
	t.Helper()
	hostname := s.host(endpoint)
	r := httptest.NewRequest(http.MethodPost, "http://"+endpoint+"/", strings.NewReader(body))
	r.Header.Set("Content-Type", s.contentType)
	r.Header.Set("X-TC-Action", action)
	r.Header.Set("X-TC-Version", "2018-08-08")
	r.Header.Set("X-TC-Region", "ap-guangzhou")
	ts := strconv.FormatInt(at.Unix(), 10)
	r.Header.Set("X-TC-Timestamp", ts)
	date := at.UTC().Format("2006-01-02")
	service := s.service(endpoint)
	canonical := "POST\n/\n\ncontent-type:" + s.contentType + "\nhost:" + hostname + "\n\ncontent-type;host\n" + hexHash(body)
	scope := date + "/" + service + "/tc3_request"
	sts := "TC3-HMAC-SHA256\n" + ts + "\n" + scope + "\n" + hexHash(canonical)
	key := hmacSHA256(hmacSHA256(hmacSHA256([]byte("TC3"+credentials.DevTencentSecretKey), date), service), "tc3_request")
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+credentials.DevTencentSecretID+"/"+scope+
		", SignedHeaders=content-type;host, Signature="+hex.EncodeToString(hmacSHA256(key, sts)))
	return r
}

func hexHash(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// TestNodeAndJavaSDKSignatures: requests signed exactly as the Node.js and Java SDKs sign them,
// for each endpoint form, are accepted; the same requests with one signed part changed are not.
func TestNodeAndJavaSDKSignatures(t *testing.T) {
	const body = `{"Name":"n"}`
	endpoints := []string{"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "keyport.example.com", "keyport.example.com:8443"}
	for _, sdk := range []sdkSigner{nodeSDK, javaSDK} {
		for _, ep := range endpoints {
			t.Run(sdk.name+" "+ep, func(t *testing.T) {
				tests := []struct {
					name     string
					mutate   func(*http.Request)
					wantCode string
				}{
					{"as signed", nil, ""},
					{"body changed", func(r *http.Request) {
						r.Body = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"Name":"m"}`)).Body
					}, "AuthFailure.SignatureFailure"},
					{"host name changed", func(r *http.Request) { r.Host = "other" + r.Host }, "AuthFailure.SignatureFailure"},
					{"timestamp changed", func(r *http.Request) {
						r.Header.Set("X-TC-Timestamp", strconv.FormatInt(now.Unix()+1, 10))
					}, "AuthFailure.SignatureFailure"},
				}
				for _, tt := range tests {
					t.Run(tt.name, func(t *testing.T) {
						r := sdk.request(t, ep, "Echo", body, now)
						if tt.mutate != nil {
							tt.mutate(r)
						}
						w := tencenttest.Serve(t, testRouter(), r)
						if got := tencenttest.Code(t, w.Body.Bytes()); got != tt.wantCode {
							t.Errorf("got code %q, want %q (body %s)", got, tt.wantCode, w.Body)
						}
					})
				}
			})
		}
	}
}
