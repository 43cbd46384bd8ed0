package createsecret

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/keymanager"
)

// absent marks a header the request must not carry.
const absent = "<absent>"

// pem64 is a well-formed one-line block body of 64 characters.
var pem64 = strings.Repeat("QUJD", 16)

// post sends body to the env's mux. token and ctype default to the dev token and
// application/json; absent leaves the header out.
func (e *env) post(urlPath, token, ctype, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, urlPath, strings.NewReader(body))
	for k, v := range map[string]string{"X-Auth-Token": or(token, devToken), "Content-Type": or(ctype, "application/json")} {
		if v != absent {
			r.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, r)
	return rec
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rejectCases covers every rule: each request must fail with the status and title shown, name
// the field in Barbican's description (for 400s), and write nothing.
var rejectCases = []struct {
	name, path, token, ctype, body string
	now                            time.Time // zero: the real clock
	status                         int
	title, field                   string // field "" : no "Invalid property" expected
}{
	// 401 before anything else, 403 when the token's tenant is not the path's.
	{name: "no_token", token: absent, body: `{`, status: 401, title: "Unauthorized"},
	{name: "unknown_token", token: "not-a-token", body: `{`, status: 401, title: "Unauthorized"},
	{name: "other_tenant", path: "/v1/00000000000000000000000000000000/secrets", ctype: "text/plain", body: `{`, status: 403, title: "Forbidden"},
	// 415 before the body is read.
	{name: "no_content_type", ctype: absent, body: `{}`, status: 415, title: "Unsupported Media Type"},
	{name: "text_content_type", ctype: "text/plain", body: `{}`, status: 415, title: "Unsupported Media Type"},
	{name: "json_suffix_content_type", ctype: "application/jsonx", body: `{}`, status: 415, title: "Unsupported Media Type"},
	// 413: K5's 10000-byte limit on the key metadata.
	{name: "body_over_10000", body: `{"x":"` + strings.Repeat("a", int(keymanager.K5.MaxRequest())) + `"}`, status: 413, title: "Request Entity Too Large"},
	// 400 Malformed JSON.
	{name: "not_json", body: `{"name":`, status: 400, title: "Bad Request"},
	{name: "empty_body", body: ``, status: 400, title: "Bad Request"},
	{name: "json_array", body: `[]`, status: 400, title: "Bad Request"},
	{name: "json_null", body: `null`, status: 400, title: "Bad Request"},
	{name: "trailing_data", body: `{} {}`, status: 400, title: "Bad Request"},
	// Schema stage, in the schema's property order.
	{name: "name_not_string", body: `{"name":1}`, status: 400, title: "Bad Request", field: "name"},
	{name: "name_too_long", body: `{"name":"` + strings.Repeat("n", 256) + `"}`, status: 400, title: "Bad Request", field: "name"},
	{name: "algorithm_not_string", body: `{"algorithm":null}`, status: 400, title: "Bad Request", field: "algorithm"},
	{name: "algorithm_too_long", body: `{"algorithm":"` + strings.Repeat("a", 256) + `"}`, status: 400, title: "Bad Request", field: "algorithm"},
	{name: "mode_too_long", body: `{"mode":"` + strings.Repeat("m", 256) + `"}`, status: 400, title: "Bad Request", field: "mode"},
	{name: "bit_length_string", body: `{"bit_length":"256"}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "bit_length_fraction", body: `{"bit_length":1.5}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "bit_length_bool", body: `{"bit_length":true}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "bit_length_zero", body: `{"bit_length":0}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "bit_length_negative_huge", body: `{"bit_length":-99999999999999999999}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "bit_length_over_max", body: `{"bit_length":32768}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "bit_length_huge", body: `{"bit_length":99999999999999999999}`, status: 400, title: "Bad Request", field: "bit_length"},
	{name: "expiration_not_string", body: `{"expiration":20300101}`, status: 400, title: "Bad Request", field: "expiration"},
	{name: "expiration_too_long", body: `{"expiration":"` + strings.Repeat("2", 256) + `"}`, status: 400, title: "Bad Request", field: "expiration"},
	{name: "payload_not_string", body: `{"payload":123,"payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "payload_null", body: `{"payload":null,"payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "secret_type_unknown", body: `{"secret_type":"password"}`, status: 400, title: "Bad Request", field: "secret_type"},
	{name: "secret_type_null", body: `{"secret_type":null}`, status: 400, title: "Bad Request", field: "secret_type"},
	{name: "content_type_not_string", body: `{"payload":"x","payload_content_type":7}`, status: 400, title: "Bad Request", field: "payload_content_type"},
	{name: "content_type_too_long", body: `{"payload_content_type":"` + strings.Repeat("t", 256) + `"}`, status: 400, title: "Bad Request", field: "payload_content_type"},
	{name: "encoding_binary", body: `{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"binary"}`, status: 400, title: "Bad Request", field: "payload_content_encoding"},
	{name: "encoding_upper_case", body: `{"payload_content_encoding":"BASE64"}`, status: 400, title: "Bad Request", field: "payload_content_encoding"},
	{name: "encoding_null", body: `{"payload_content_encoding":null}`, status: 400, title: "Bad Request", field: "payload_content_encoding"},
	// K5 name rule.
	{name: "name_not_half_width", body: `{"name":"鍵1"}`, status: 400, title: "Bad Request", field: "name"},
	{name: "name_control_char", body: `{"name":"a\tb"}`, status: 400, title: "Bad Request", field: "name"},
	// Expiration.
	{name: "expiration_not_a_date", body: `{"expiration":"tomorrow"}`, status: 400, title: "Bad Request", field: "expiration"},
	{name: "expiration_past", body: `{"expiration":"2000-01-01T00:00:00"}`, status: 400, title: "Bad Request", field: "expiration"},
	{name: "expiration_past_by_now", now: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), body: `{"expiration":"2030-06-01T00:00:00"}`, status: 400, title: "Bad Request", field: "expiration"},
	{name: "expiration_equals_now", now: time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC), body: `{"expiration":"2030-06-01T09:00:00+09:00"}`, status: 400, title: "Bad Request", field: "expiration"},
	// Payload rules, in Barbican's order.
	{name: "payload_without_content_type", body: `{"payload":"aGk="}`, status: 400, title: "Bad Request", field: "payload_content_type"},
	{name: "payload_content_type_null", body: `{"payload":"aGk=","payload_content_type":null}`, status: 400, title: "Bad Request", field: "payload_content_type"},
	{name: "content_type_pkcs8", body: `{"payload":"aGk=","payload_content_type":"application/pkcs8","payload_content_encoding":"base64"}`, status: 400, title: "Bad Request", field: "payload_content_type"},
	{name: "content_type_upper_case", body: `{"payload":"x","payload_content_type":"TEXT/PLAIN"}`, status: 400, title: "Bad Request", field: "payload_content_type"},
	{name: "text_with_encoding", body: `{"payload":"-----BEGIN X-----` + pem64 + `-----END X-----","payload_content_type":"text/plain","payload_content_encoding":"base64"}`, status: 400, title: "Bad Request", field: "payload_content_encoding"},
	{name: "octet_without_encoding", body: `{"payload":"aGk=","payload_content_type":"application/octet-stream"}`, status: 400, title: "Bad Request", field: "payload_content_encoding"},
	{name: "payload_empty", body: `{"payload":"","payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "payload_blank", body: `{"payload":" \n\t ","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "payload_not_base64", body: `{"payload":"c2VjcmV0!","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "payload_base64_unpadded", body: `{"payload":"aGk","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "pem_missing", body: `{"payload":"c2VjcmV0","payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "pem_unterminated", body: `{"payload":"-----BEGIN X-----\nc2VjcmV0\n","payload_content_type":"text/plain; charset=utf-8"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "pem_label_mismatch", body: `{"payload":"-----BEGIN A-----\nc2VjcmV0\n-----END B-----","payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "pem_line_65", body: `{"payload":"-----BEGIN X-----\n` + pem64 + `Q\n-----END X-----","payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "pem_bad_char", body: `{"payload":"-----BEGIN X-----\nc2Vj cmV0\n-----END X-----","payload_content_type":"text/plain;charset=utf-8"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "pem_empty_block", body: `{"payload":"-----BEGIN X-----\n\n-----END X-----","payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	// payload_content_type needs a payload.
	{name: "content_type_without_payload", body: `{"payload_content_type":"text/plain"}`, status: 400, title: "Bad Request", field: "payload"},
	{name: "content_type_null_without_payload", body: `{"payload_content_type":null}`, status: 400, title: "Bad Request", field: "payload"},
}

func TestCreateRejects(t *testing.T) {
	for _, tt := range rejectCases {
		t.Run(tt.name, func(t *testing.T) {
			var now func() time.Time
			if !tt.now.IsZero() {
				now = func() time.Time { return tt.now }
			}
			e := newEnv(t, now)
			rec := e.post(or(tt.path, path), tt.token, tt.ctype, tt.body)
			if rec.Code != tt.status {
				t.Errorf("status: got %d, want %d (body %s)", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type: got %q, want application/json", got)
			}
			title, desc := errorBody(t, rec.Body.Bytes())
			if title != tt.title {
				t.Errorf("title: got %q, want %q", title, tt.title)
			}
			if tt.field != "" {
				want := "Invalid property: '" + tt.field + "'"
				if !strings.HasPrefix(desc, "Provided object does not match schema 'Secret': ") || !strings.HasSuffix(desc, want) {
					t.Errorf("description: got %q, want Barbican's InvalidObject text ending %q", desc, want)
				}
			}
			if p := payloadOf(tt.body); len(p) >= 4 && strings.Contains(rec.Body.String(), p) {
				t.Errorf("error body %s echoes the payload", rec.Body)
			}
			if n := e.count(t); n != 0 {
				t.Errorf("store holds %d records after a refused request, want 0", n)
			}
			golden(t, tt.name, rec.Body.Bytes())
		})
	}
}

// errorBody reads Barbican's {"code","title","description"} or Keystone's {"error":{…}}.
func errorBody(t *testing.T, b []byte) (title, desc string) {
	t.Helper()
	var v struct {
		Code        int    `json:"code"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Error       *struct {
			Title, Message string
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("error body %q is not JSON: %v", b, err)
	}
	if v.Error != nil {
		return v.Error.Title, v.Error.Message
	}
	return v.Title, v.Description
}

func payloadOf(body string) string {
	var v struct {
		Payload any `json:"payload"`
	}
	_ = json.Unmarshal([]byte(body), &v)
	s, _ := v.Payload.(string)
	return s
}
