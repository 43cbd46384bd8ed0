package lambdaapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"keyport/shared/sign/acs3"
	"keyport/shared/sign/tc3"
)

// gatewayEvent turns a client request into the payload 2.0 event API Gateway would deliver:
// header names lower-cased, repeated headers joined with ",", rawPath percent-decoded, the
// query string raw, and domainName given separately (it differs from Host under SAM).
func gatewayEvent(t *testing.T, r *http.Request, body []byte, domain string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	headers := map[string]string{"host": r.Host}
	for name, values := range r.Header {
		headers[strings.ToLower(name)] = strings.Join(values, ",")
	}
	return events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
		Headers: headers, Body: string(body),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			Stage: "$default", DomainName: domain, RequestID: "req-1",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path},
		},
	}
}

// seen is what the handler behind Proxy observed.
type seen struct {
	host, path, escaped, query string
	header                     http.Header
	body                       []byte
	deadline                   bool
	tc3OK, acs3OK              bool
}

// probe records the request and checks its signature as keyport's verifiers would.
func probe(got *seen) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, got.deadline = r.Context().Deadline()
		*got = seen{host: r.Host, path: r.URL.Path, escaped: r.URL.EscapedPath(), query: r.URL.RawQuery,
			header: r.Header.Clone(), body: body, deadline: got.deadline}
		if a, err := tc3.ParseAuthorization(r.Header.Get("Authorization")); err == nil {
			got.tc3OK, _ = tc3.Verify(tc3Secret, a, r.Header.Get("X-TC-Timestamp"), tc3.FromHTTP(r, body))
		}
		if a, err := acs3.ParseAuthorization(r.Header.Get("Authorization")); err == nil {
			got.acs3OK = acs3.Verify(acs3Secret, acs3.StringToSign(acs3.RequestCanonical(r, a.SignedHeaders)), a.Signature)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"ok":true}`))
	})
}

const (
	tc3Secret  = "tc3-test-secret"
	acs3Secret = "acs3-test-secret"
)

// tc3Request is a Tencent SDK-style request signed for host.
func tc3Request(t *testing.T, host string) (*http.Request, []byte) {
	t.Helper()
	body := []byte(`{"SecretName":"n"}`)
	r, _ := http.NewRequest(http.MethodPost, "https://"+host+"/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-TC-Action", "CreateApiKey")
	now := time.Unix(1795519755, 0)
	r.Header.Set("X-TC-Timestamp", "1795519755")
	auth, err := tc3.Sign("AKIDtest", tc3Secret, "apigateway", now, nil, tc3.FromHTTP(r, body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", auth)
	return r, body
}

// acs3Request is an Alibaba SDK-style request to rawURL, signed with extra x-acs headers.
func acs3Request(t *testing.T, rawURL string, extra map[string]string) (*http.Request, []byte) {
	t.Helper()
	body := []byte(`{"name":"my_secret"}`)
	r, err := http.NewRequest(http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	r.Header.Set("x-acs-action", "CreateSecret")
	r.Header.Set("x-acs-date", "2026-11-24T11:29:15Z")
	for k, v := range extra {
		r.Header.Set(k, v)
	}
	acs3.Sign(r, body, "LTAItest", acs3Secret)
	return r, body
}

func TestProxyPresentsTheSignedRequest(t *testing.T) {
	const apiHost = "abc123.execute-api.eu-west-1.amazonaws.com"
	tests := []struct {
		name      string
		request   func(t *testing.T) (*http.Request, []byte)
		domain    string
		wantHost  string
		wantPath  string
		wantEsc   string
		wantQuery string
		check     func(t *testing.T, got seen)
	}{{
		name:     "tencent on the API's own domain",
		request:  func(t *testing.T) (*http.Request, []byte) { return tc3Request(t, apiHost) },
		domain:   apiHost,
		wantHost: apiHost, wantPath: "/", wantEsc: "/",
		check: func(t *testing.T, got seen) {
			if !got.tc3OK {
				t.Errorf("got TC3 signature rejected, want it verified")
			}
		},
	}, {
		name:     "tencent through sam local start-api (domainName localhost, Host with port)",
		request:  func(t *testing.T) (*http.Request, []byte) { return tc3Request(t, "127.0.0.1:3000") },
		domain:   "localhost",
		wantHost: "127.0.0.1:3000", wantPath: "/", wantEsc: "/",
		check: func(t *testing.T, got seen) {
			if !got.tc3OK {
				t.Errorf("got TC3 signature rejected, want it verified against Host 127.0.0.1:3000")
			}
		},
	}, {
		name: "alibaba with a signed header value holding a comma",
		request: func(t *testing.T) (*http.Request, []byte) {
			return acs3Request(t, "https://"+apiHost+"/v1/secrets", map[string]string{"x-acs-meta": "a, b"})
		},
		domain:   apiHost,
		wantHost: apiHost, wantPath: "/v1/secrets", wantEsc: "/v1/secrets",
		check: func(t *testing.T, got seen) {
			if v := got.header.Values("X-Acs-Meta"); len(v) != 1 || v[0] != "a, b" {
				t.Errorf("got x-acs-meta %q, want [\"a, b\"] as sent", v)
			}
			if !got.acs3OK {
				t.Errorf("got ACS3 signature rejected, want it verified")
			}
		},
	}, {
		name: "alibaba with a decoded path holding space, ? and # plus a query",
		request: func(t *testing.T) (*http.Request, []byte) {
			return acs3Request(t, "https://"+apiHost+"/v1/a%20b%3Fc%23d?nameLike=x+y", nil)
		},
		domain:   apiHost,
		wantHost: apiHost, wantPath: "/v1/a b?c#d", wantEsc: "/v1/a%20b%3Fc%23d", wantQuery: "nameLike=x+y",
		check: func(t *testing.T, got seen) {
			if !got.acs3OK {
				t.Errorf("got ACS3 signature rejected, want it verified over the re-escaped path")
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body := tt.request(t)
			var got seen
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(time.Minute))
			defer cancel()
			resp, err := Proxy(probe(&got))(ctx, gatewayEvent(t, r, body, tt.domain))
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if resp.StatusCode != http.StatusCreated || resp.Body != `{"ok":true}` {
				t.Errorf("got response %d %q, want 201 {\"ok\":true}", resp.StatusCode, resp.Body)
			}
			if got.host != tt.wantHost || got.path != tt.wantPath || got.escaped != tt.wantEsc || got.query != tt.wantQuery {
				t.Errorf("got host %q path %q escaped %q query %q, want %q %q %q %q",
					got.host, got.path, got.escaped, got.query, tt.wantHost, tt.wantPath, tt.wantEsc, tt.wantQuery)
			}
			if got.header.Get("Host") != "" {
				t.Errorf("got Host in r.Header, want it only in r.Host as net/http does")
			}
			if !bytes.Equal(got.body, body) {
				t.Errorf("got body %q, want %q", got.body, body)
			}
			if !got.deadline {
				t.Errorf("got no deadline in r.Context(), want the invocation's")
			}
			tt.check(t, got)
		})
	}
}

func TestProxyFallsBackToRequestContextPath(t *testing.T) {
	var got seen
	r, body := tc3Request(t, "h.example")
	ev := gatewayEvent(t, r, body, "h.example")
	ev.RawPath, ev.RequestContext.HTTP.Path = "", "/cloud/v1/tasks/x y"
	if _, err := Proxy(probe(&got))(context.Background(), ev); err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	if want := "/cloud/v1/tasks/x%20y"; got.escaped != want {
		t.Errorf("got escaped path %q, want %q", got.escaped, want)
	}
}

func TestProxyAnswersAnEmptyResponseWith200(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "https://h/", nil)
	resp, err := Proxy(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))(context.Background(), gatewayEvent(t, r, nil, "h"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("got %d, %v; want 200 and no error, as net/http answers a handler that writes nothing", resp.StatusCode, err)
	}
}

func TestProxyResponseEvent(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Location", "https://h/v1/t/secrets/1")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"secret_ref":"https://h/v1/t/secrets/1"}`))
	})
	r, _ := http.NewRequest(http.MethodPost, "https://h/v1/t/secrets", nil)
	resp, err := Proxy(h)(context.Background(), gatewayEvent(t, r, nil, "h"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(resp)
	var back struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.StatusCode != 201 || back.Headers["Location"] != "https://h/v1/t/secrets/1" || back.Headers["Content-Type"] != "application/json" {
		t.Errorf("got %s, want status 201 with Location and Content-Type headers", raw)
	}
	if _, err := url.Parse(back.Headers["Location"]); err != nil {
		t.Errorf("got unparsable Location: %v", err)
	}
}
