package events

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/functions"
	"keyport/shared/credentials"
	"keyport/shared/lambdaapp"
	"keyport/shared/sign/acs3"
	"keyport/shared/sign/tc3"
)

func load(t *testing.T, fn string) awsevents.APIGatewayV2HTTPRequest {
	t.Helper()
	raw, err := Load(fn)
	if err != nil {
		t.Fatal(err)
	}
	var ev awsevents.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("got %v decoding %s, want a payload 2.0 event", err, fn)
	}
	return ev
}

// TestEveryFunctionHasAnEvent checks events/ against the operations table: one event per
// function, and none for a function the table does not have.
func TestEveryFunctionHasAnEvent(t *testing.T) {
	want := functions.Names()
	slices.Sort(want)
	if got := strings.Join(Functions(), " "); got != strings.Join(want, " ") {
		t.Errorf("got events for %s, want %s", got, strings.Join(want, " "))
	}
}

// TestEventsAreWhatAPIGatewaySends checks the invariants API Gateway keeps in every payload 2.0
// event, so a hand edit cannot leave an event no gateway would deliver.
func TestEventsAreWhatAPIGatewaySends(t *testing.T) {
	for _, fn := range Functions() {
		t.Run(fn, func(t *testing.T) {
			ev := load(t, fn)
			rc := ev.RequestContext
			method, route, _ := strings.Cut(ev.RouteKey, " ")
			checks := []struct {
				what      string
				got, want string
			}{
				{"version", ev.Version, "2.0"},
				{"requestContext.routeKey", rc.RouteKey, ev.RouteKey},
				{"requestContext.http.method", rc.HTTP.Method, method},
				{"requestContext.http.path", rc.HTTP.Path, ev.RawPath},
				{"stage", rc.Stage, "$default"},
				{"headers.host", ev.Headers["host"], rc.DomainName},
				{"route matches rawPath", fill(route, ev.PathParameters), ev.RawPath},
				{"content-length", ev.Headers["content-length"], contentLength(ev.Body)},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
				}
			}
			if f, ok := functions.Lookup(fn); !ok || !slices.Contains(f.Routes(), ev.RouteKey) {
				t.Errorf("routeKey: got %q, want one of the routes of function %s in the operations table", ev.RouteKey, fn)
			}
			for name := range ev.Headers {
				if name != strings.ToLower(name) {
					t.Errorf("got header %q, want lower-case names as HTTP APIs deliver", name)
				}
			}
		})
	}
}

// fill puts path parameters into a route template.
func fill(route string, params map[string]string) string {
	for k, v := range params {
		route = strings.ReplaceAll(route, "{"+k+"}", v)
	}
	return strings.ReplaceAll(route, "{$}", "") // "exactly this path": GET /{$} is API Gateway's GET /
}

func contentLength(body string) string {
	if body == "" {
		return ""
	}
	return strconv.Itoa(len(body))
}

// TestSignedEventsVerify replays each signed event through lambdaapp.Proxy, as the Lambda
// does, and checks the request the handler sees carries a valid, fresh signature.
func TestSignedEventsVerify(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	type signedCase struct {
		fn     string
		verify func(r *http.Request, body []byte) bool
	}
	tests := []signedCase{
		{"tencent-apigateway", verifyTC3(now)},
		{"tencent-teo", verifyTC3(now)},
	}
	for _, fn := range Functions() {
		if strings.HasPrefix(fn, "alibaba-") {
			tests = append(tests, signedCase{fn, verifyACS3(now)})
		}
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			raw, _ := Load(tt.fn)
			signed, err := Sign(raw, now)
			if err != nil {
				t.Fatalf("got %v, want the event signed", err)
			}
			var ev awsevents.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(signed, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.RequestContext.TimeEpoch != now.UnixMilli() {
				t.Errorf("got timeEpoch %d, want %d", ev.RequestContext.TimeEpoch, now.UnixMilli())
			}
			ok := false
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				ok = tt.verify(r, body)
			})
			if _, err := lambdaapp.Proxy(h)(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Errorf("got the signature rejected, want it valid for %s at %v", tt.fn, now)
			}
		})
	}
}

func verifyTC3(now time.Time) func(*http.Request, []byte) bool {
	return func(r *http.Request, body []byte) bool {
		a, err := tc3.ParseAuthorization(r.Header.Get("Authorization"))
		if err != nil || r.Header.Get("X-TC-Timestamp") != strconv.FormatInt(now.Unix(), 10) {
			return false
		}
		ok, err := tc3.Verify(credentials.DevTencentSecretKey, a, r.Header.Get("X-TC-Timestamp"), tc3.FromHTTP(r, body))
		return ok && err == nil
	}
}

func verifyACS3(now time.Time) func(*http.Request, []byte) bool {
	return func(r *http.Request, body []byte) bool {
		a, err := acs3.ParseAuthorization(r.Header.Get("Authorization"))
		if err != nil || r.Header.Get("x-acs-date") != now.UTC().Format("2006-01-02T15:04:05Z") ||
			r.Header.Get("x-acs-content-sha256") != acs3.HashPayload(body) {
			return false
		}
		return acs3.Verify(credentials.DevAlibabaSecret, acs3.StringToSign(acs3.RequestCanonical(r, a.SignedHeaders)), a.Signature)
	}
}

func TestSignLeavesOtherEventsAlone(t *testing.T) {
	for _, fn := range []string{"gcore-createsecret", "gcore-gettask", "k5-createsecret"} {
		t.Run(fn, func(t *testing.T) {
			raw, _ := Load(fn)
			got, err := Sign(raw, time.Now())
			if err != nil || !bytes.Equal(got, raw) {
				t.Errorf("got %v and a changed event, want it returned as is", err)
			}
		})
	}
}

func TestSignGivesEachACS3EventAFreshNonce(t *testing.T) {
	raw, _ := Load("alibaba-createsecret")
	nonce := func() string {
		signed, err := Sign(raw, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var ev awsevents.APIGatewayV2HTTPRequest
		json.Unmarshal(signed, &ev)
		return ev.Headers["x-acs-signature-nonce"]
	}
	if a, b := nonce(), nonce(); a == b || len(a) != 32 {
		t.Errorf("got nonces %q and %q, want two different 32-hex-digit nonces", a, b)
	}
}

func TestSignRefuses(t *testing.T) {
	tests := []struct {
		name, event, want string
	}{
		{"not JSON", `{`, "not a payload 2.0 event"},
		{"unknown Tencent key", `{"headers":{"authorization":"TC3-HMAC-SHA256 Credential=AKIDother/2026-01-01/teo/tc3_request, SignedHeaders=content-type;host, Signature=` +
			strings.Repeat("0", 64) + `"},"requestContext":{}}`, "not a development SecretId"},
		{"unknown Alibaba key", `{"headers":{"authorization":"ACS3-HMAC-SHA256 Credential=LTAIother,SignedHeaders=host,Signature=` +
			strings.Repeat("0", 64) + `"},"requestContext":{}}`, "not a development AccessKeyId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Sign([]byte(tt.event), time.Now()); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
