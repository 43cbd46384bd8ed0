package createsecret

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/operation"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// countingKMS counts data keys asked for (one per Seal) and fails them when err is set; it
// stands in for KMS only to observe and inject faults.
type countingKMS struct {
	calls int
	err   error
}

func (k *countingKMS) GenerateDataKey(context.Context, map[string]string) ([]byte, []byte, error) {
	k.calls++
	if k.err != nil {
		return nil, nil, k.err
	}
	return make([]byte, 32), []byte("wrapped"), nil
}

func (k *countingKMS) Decrypt(context.Context, []byte, map[string]string) ([]byte, error) {
	return nil, errors.New("countingKMS: no Decrypt")
}

// stubStore answers every Apply with err (nil: accepts and keeps nothing); a create makes no
// other store call.
type stubStore struct {
	store.Store
	err error
}

func (s stubStore) Apply(context.Context, store.Tx) error { return s.err }

const octet = `{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`

func TestSealCalls(t *testing.T) {
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
			kms := &countingKMS{}
			rec := serve(t, operation.Deps{Store: stubStore{}, Sealer: seal.New(kms), Creds: credentials.Dev()}, tt.body)
			if rec.Code != tt.status {
				t.Errorf("status: got %d, want %d (%s)", rec.Code, tt.status, rec.Body)
			}
			if kms.calls != tt.calls {
				t.Errorf("Seal calls: got %d, want %d", kms.calls, tt.calls)
			}
		})
	}
}

// plaintextSealer keeps the plaintext slice it was handed, to check the create wipes it.
type plaintextSealer struct{ last []byte }

func (s *plaintextSealer) Seal(_ context.Context, _ seal.Scope, _, plaintext []byte) ([]byte, error) {
	s.last = plaintext
	return []byte("blob"), nil
}

// TestPlaintextWiped: once sealed, the decoded payload is zeroed before the create answers.
func TestPlaintextWiped(t *testing.T) {
	s := &plaintextSealer{}
	c := creator{store: stubStore{}, sealer: s, now: func() time.Time { return fixedNow }}
	q := &keymanager.Request{Request: httptest.NewRequest(http.MethodPost, path, nil), Layout: keymanager.K5, Project: devTenant, Data: []byte(octet)}
	if _, err := c.create(q); err != nil {
		t.Fatal(err)
	}
	if s.last == nil || strings.Trim(string(s.last), "\x00") != "" {
		t.Errorf("plaintext after the request: got %q, want it zeroed", s.last)
	}
}

func TestServerFaults(t *testing.T) {
	tests := []struct {
		name   string
		kms    *countingKMS
		store  stubStore
		status int
		desc   string
	}{
		{"KMS failure", &countingKMS{err: errors.New("kms: AccessDeniedException arn:aws:kms:key/1234")}, stubStore{}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"KMS failure carrying a client kind stays 500", &countingKMS{err: fault.New(fault.Forbidden, "", "kms denied")}, stubStore{}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"store failure", &countingKMS{}, stubStore{err: errors.New("bolt: disk full at /var/lib/keyport")}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"store refuses a duplicate id", &countingKMS{}, stubStore{err: &store.Conflict{Action: 0, Claim: -1, Reason: store.Exists}}, 500,
			"Secret creation failure seen - please contact site administrator."},
		{"store error carrying a client kind stays 500", &countingKMS{}, stubStore{err: fault.New(fault.Exists, "k5-keymanager/secret/t/u", "already exists")}, 500,
			"Secret creation failure seen - please contact site administrator."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, operation.Deps{Store: tt.store, Sealer: seal.New(tt.kms), Creds: credentials.Dev()}, octet)
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

// TestServePanicsOnMissingDeps: a row served without a store it needs is a wiring mistake,
// caught when the function starts (operation.Row.Restrict is the one policy).
func TestServePanicsOnMissingDeps(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Serve with no Store: got no panic, want one")
		}
	}()
	Row(keymanager.K5).Serve(operation.Deps{Sealer: seal.New(&countingKMS{}), Creds: credentials.Dev()})
}

// serve sends one authorised create through the K5 row served on d.
func serve(t *testing.T, d operation.Deps, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("X-Auth-Token", devToken)
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	serveK5(d).ServeHTTP(rec, r)
	return rec
}
