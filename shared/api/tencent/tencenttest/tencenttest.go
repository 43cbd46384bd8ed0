// Package tencenttest builds TC3-signed Tencent API 3.0 requests and reads Tencent envelopes,
// for the tests of the Tencent actions and the router.
package tencenttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/sign/tc3"
	"keyport/shared/testkit"
)

// Request describes a signed request. Zero fields take the defaults noted.
type Request struct {
	Action, Version string
	Service         string    // credential scope service
	Body            string    // JSON body; "" sends "{}"
	Time            time.Time // signing time and X-TC-Timestamp; zero means time.Now()
	SecretID        string    // default credentials.DevTencentSecretID
	SecretKey       string    // default credentials.DevTencentSecretKey
	Region          string    // X-TC-Region, omitted when ""
	SignedHeaders   []string  // default content-type;host
	ContentType     string    // default application/json
	Host            string    // the Host header; default Host
}

// Host is the Host every built request carries.
const Host = "keyport.test"

// HTTP returns the request, signed.
func (q Request) HTTP(tb testing.TB) *http.Request {
	tb.Helper()
	if q.Body == "" {
		q.Body = "{}"
	}
	if q.Time.IsZero() {
		q.Time = time.Now()
	}
	if q.SecretID == "" {
		q.SecretID, q.SecretKey = credentials.DevTencentSecretID, credentials.DevTencentSecretKey
	}
	if q.Host == "" {
		q.Host = Host
	}
	r := httptest.NewRequest(http.MethodPost, "http://"+q.Host+"/", bytes.NewBufferString(q.Body))
	if q.ContentType == "" {
		q.ContentType = "application/json"
	}
	r.Header.Set("Content-Type", q.ContentType)
	r.Header.Set("X-TC-Action", q.Action)
	r.Header.Set("X-TC-Version", q.Version)
	r.Header.Set("X-TC-Timestamp", strconv.FormatInt(q.Time.Unix(), 10))
	r.Header.Set("X-TC-Language", "en-US")
	if q.Region != "" {
		r.Header.Set("X-TC-Region", q.Region)
	}
	auth, err := tc3.Sign(q.SecretID, q.SecretKey, q.Service, q.Time, q.SignedHeaders, tc3.FromHTTP(r, []byte(q.Body)))
	if err != nil {
		tb.Fatalf("tc3.Sign: %v", err)
	}
	r.Header.Set("Authorization", auth)
	return r
}

// Envelope is a Tencent response body, success or error.
type Envelope struct {
	Response struct {
		Error *struct {
			Code    string
			Message string
		}
		RequestID string `json:"RequestId"`
	}
}

// Serve runs h on r and returns the recorder, failing the test unless the response is HTTP
// 200 with Content-Type exactly application/json, as every Tencent response must be.
func Serve(tb testing.TB, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	tb.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		tb.Errorf("got status %d, want 200", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		tb.Errorf("got Content-Type %q, want application/json", ct)
	}
	return w
}

// Code returns the error code in a Tencent envelope ("" for a success), failing the test if
// the body is not an envelope with a RequestId.
func Code(tb testing.TB, body []byte) string {
	tb.Helper()
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		tb.Fatalf("body %s is not JSON: %v", body, err)
	}
	if e.Response.RequestID == "" {
		tb.Errorf("body %s has no RequestId", body)
	}
	if e.Response.Error == nil {
		return ""
	}
	return e.Response.Error.Code
}

var requestID = regexp.MustCompile(`"RequestId":"[^"]*"`)

// Normalise replaces the RequestId so bodies can be compared with golden files.
func Normalise(body []byte) []byte {
	return requestID.ReplaceAll(body, []byte(`"RequestId":"00000000-0000-4000-8000-000000000000"`))
}

// Golden compares got, indented, with the golden file at path (rewritten under -update).
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, got, "", "  "); err != nil {
		tb.Fatalf("golden %s: body is not JSON: %v", path, err)
	}
	buf.WriteByte('\n')
	testkit.Golden(tb, path, buf.Bytes())
}
