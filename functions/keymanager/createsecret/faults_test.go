package createsecret

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// countingSealer counts Seal calls and fails them when err is set; it stands in for KMS only to
// observe and inject faults.
type countingSealer struct {
	calls int
	err   error
	last  []byte // the plaintext slice of the last call, to check the handler wipes it
}

func (s *countingSealer) Seal(_ context.Context, _ seal.Scope, _, plaintext []byte) ([]byte, error) {
	s.calls++
	s.last = plaintext
	if s.err != nil {
		return nil, s.err
	}
	return []byte("blob"), nil
}

// stubStore answers every Create with err (nil: accepts and keeps nothing).
type stubStore struct{ err error }

func (s stubStore) Apply(context.Context, store.Tx) error { return s.err }

func TestSealCalls(t *testing.T) {
	octet := `{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`
	tests := []struct {
		name, body string
		status     int
		calls      int
	}{
		{"payload is sealed once", octet, 201, 1},
		{"metadata only makes no KMS call", `{"name":"k"}`, 201, 0},
		{"invalid payload is refused before sealing", `{"payload":"!!","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, 400, 0},
		{"invalid later field is refused before sealing", `{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64","expiration":"2000-01-01T00:00:00"}`, 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &countingSealer{}
			rec := serve(t, Deps{Store: stubStore{}, Sealer: s, Creds: credentials.Dev()}, tt.body)
			if rec.Code != tt.status {
				t.Errorf("status: got %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			if s.calls != tt.calls {
				t.Errorf("Seal calls: got %d, want %d", s.calls, tt.calls)
			}
			if s.last != nil && strings.Trim(string(s.last), "\x00") != "" {
				t.Errorf("plaintext after the request: got %q, want it zeroed", s.last)
			}
		})
	}
}

func TestServerFaults(t *testing.T) {
	octet := `{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`
	tests := []struct {
		name   string
		sealer *countingSealer
		store  stubStore
		status int
		desc   string
	}{
		{"KMS failure", &countingSealer{err: errors.New("kms: AccessDeniedException arn:aws:kms:key/1234")}, stubStore{}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"KMS failure carrying a client kind stays 500", &countingSealer{err: fault.New(fault.Forbidden, "", "kms denied")}, stubStore{}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"store failure", &countingSealer{}, stubStore{errors.New("bolt: disk full at /var/lib/keyport")}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"store refuses a duplicate id", &countingSealer{}, stubStore{&store.Conflict{Action: 0, Claim: -1, Reason: store.Exists}}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"store error carrying a client kind stays 500", &countingSealer{}, stubStore{fault.New(fault.Exists, "k5-keymanager/secret/t/u", "already exists")}, 500,
			"Secret creation failure seen - please contact site administrator."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, Deps{Store: tt.store, Sealer: tt.sealer, Creds: credentials.Dev()}, octet)
			if rec.Code != tt.status {
				t.Errorf("status: got %d, want %d", rec.Code, tt.status)
			}
			if _, desc := errorBody(t, rec.Body.Bytes()); desc != tt.desc {
				t.Errorf("description: got %q, want %q", desc, tt.desc)
			}
			for _, leak := range []string{"arn:", "/var/lib", "kms"} {
				if strings.Contains(rec.Body.String(), leak) {
					t.Errorf("body %s leaks %q", rec.Body, leak)
				}
			}
		})
	}
}

func TestNewPanicsOnMissingDeps(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with no Store: got no panic, want one")
		}
	}()
	New(Deps{Sealer: &countingSealer{}, Creds: credentials.Dev()})
}

// serve sends one authorised create through New(d) behind a ServeMux.
func serve(t *testing.T, d Deps, body string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(Pattern, web.Logged(slog.New(slog.NewTextHandler(io.Discard, nil)), audit.NewWriter(io.Discard), "k5-createsecret", New(d)))
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("X-Auth-Token", devToken)
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, r)
	return rec
}
