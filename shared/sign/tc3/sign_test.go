package tc3

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

func headerMap(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

func TestCanonicalRequest(t *testing.T) {
	r := Request{
		Method:  "POST",
		Header:  headerMap(map[string]string{"content-type": " Application/JSON ", "host": "127.0.0.1:9000", "x-tc-action": "CreateApiKey"}),
		Payload: []byte(`{}`),
	}
	got, err := CanonicalRequest(r, []string{"content-type", "host", "x-tc-action"})
	if err != nil {
		t.Fatal(err)
	}
	want := "POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1:9000\nx-tc-action:createapikey\n\n" +
		"content-type;host;x-tc-action\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestCanonicalRequestNeedsContentTypeAndHost(t *testing.T) {
	r := Request{Method: "POST", Header: headerMap(nil)}
	for _, signed := range [][]string{{"host"}, {"content-type"}, {"content-type", "x-tc-action"}, nil} {
		if _, err := CanonicalRequest(r, signed); !errors.Is(err, ErrSignedHeaders) {
			t.Errorf("signed %q: got %v, want ErrSignedHeaders", signed, err)
		}
	}
}

// TestSignVerify signs a request and checks that Verify accepts it and rejects every change
// to a signed part.
func TestSignVerify(t *testing.T) {
	at := time.Unix(1795519755, 0)
	ts := "1795519755"
	headers := map[string]string{"content-type": "application/json", "host": "example.test", "x-tc-action": "CreateApiKey"}
	base := Request{Method: "POST", Header: headerMap(headers), Payload: []byte(`{"SecretName":"n"}`)}
	signed := []string{"content-type", "host", "x-tc-action"}
	h, err := Sign("AKIDx", "secret", "apigateway", at, signed, base)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAuthorization(h)
	if err != nil {
		t.Fatal(err)
	}
	with := func(k, v string) Request {
		m := map[string]string{}
		for kk, vv := range headers {
			m[kk] = vv
		}
		m[k] = v
		r := base
		r.Header = headerMap(m)
		return r
	}
	body := base
	body.Payload = []byte(`{"SecretName":"m"}`)
	query := base
	query.Query = "a=b"
	tests := []struct {
		name, key, ts string
		r             Request
		want          bool
	}{
		{"as signed", "secret", ts, base, true},
		{"header case and spaces do not matter", "secret", ts, with("x-tc-action", " createapikey "), true},
		{"other secret key", "secreT", ts, base, false},
		{"other timestamp", "secret", "1795519756", base, false},
		{"other body", "secret", ts, body, false},
		{"other query", "secret", ts, query, false},
		{"other host", "secret", ts, with("host", "example.test:80"), false},
		{"other content type", "secret", ts, with("content-type", "text/plain"), false},
		{"other signed header", "secret", ts, with("x-tc-action", "DeleteApiKey"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify(tt.key, a, tt.ts, tt.r)
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

// TestVerifySDKRequest has the official Go SDK sign real requests and checks that Verify,
// fed by FromHTTP on the server side, accepts them.
func TestVerifySDKRequest(t *testing.T) {
	for _, service := range []string{"apigateway", "teo"} {
		t.Run(service, func(t *testing.T) {
			var ok bool
			var verr error
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				a, err := ParseAuthorization(r.Header.Get("Authorization"))
				if err == nil {
					ok, verr = Verify("sdkSecretKey", a, r.Header.Get("X-TC-Timestamp"), FromHTTP(r, body))
				} else {
					verr = err
				}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"Response":{"RequestId":"r"}}`)
			}))
			defer srv.Close()
			cpf := profile.NewClientProfile()
			cpf.HttpProfile.Endpoint = strings.TrimPrefix(srv.URL, "http://")
			cpf.HttpProfile.Scheme = "HTTP"
			client := common.NewCommonClient(common.NewCredential("AKIDsdk", "sdkSecretKey"), "ap-guangzhou", cpf)
			req := tchttp.NewCommonRequest(service, "2018-08-08", "Anything")
			if err := req.SetActionParameters(map[string]any{"SecretName": "ü & <x>", "N": 1}); err != nil {
				t.Fatal(err)
			}
			if err := client.Send(req, tchttp.NewCommonResponse()); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if verr != nil || !ok {
				t.Errorf("got verified %v, error %v; want true, nil", ok, verr)
			}
		})
	}
}

func TestFromHTTPHostOnClientRequest(t *testing.T) {
	r, _ := http.NewRequest("POST", "http://h.test:81/x?q=1", bytes.NewReader(nil))
	got := FromHTTP(r, nil)
	if h := got.Header("host"); h != "h.test:81" {
		t.Errorf("got host %q, want h.test:81", h)
	}
	if got.Query != "q=1" {
		t.Errorf("got query %q, want q=1", got.Query)
	}
}
