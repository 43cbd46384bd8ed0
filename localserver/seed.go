package localserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"keyport/functions"
	"keyport/shared/credentials"
	"keyport/shared/operation"
	"keyport/shared/sign/acs3"
	"keyport/shared/sign/tc3"
	"keyport/shared/store"
	"keyport/shared/web"
)

// seedFile is the -seed document: creates to make at start-up, each sent through the server's
// own handler as its vendor's client would send it, so a seeded record is exactly what that
// create makes (rules, envelope, audit event included).
type seedFile struct {
	Seeds []seedEntry `json:"seeds"`
}

// seedEntry is one create. Operation names a create row ("alibaba.CreateSecret",
// "tencent.CreateApiKey", "k5.CreateSecret", …); Path defaults to the row's example path;
// Principal is the caller (a Tencent SecretId or Alibaba AccessKeyId, whose secret the
// credentials book holds, or a Gcore API key or K5 token), by default the development one.
type seedEntry struct {
	Operation string          `json:"operation"`
	Path      string          `json:"path"`
	Principal string          `json:"principal"`
	Body      json.RawMessage `json:"body"`
}

// seedKind marks, in the store, a seed already applied: its ID is the entry's digest, so a
// restart on the same data skips it, and an edited entry is a new seed.
const seedKind = "seed"

// loadSeeds reads and checks the -seed file: every entry names a create row and has a body.
func loadSeeds(path string) ([]seedEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	var f seedFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("seed %s: %w", path, err)
	}
	for i, e := range f.Seeds {
		if _, err := seedRow(e.Operation); err != nil {
			return nil, fmt.Errorf("seed %s: entry %d: %w", path, i, err)
		}
		if len(e.Body) == 0 {
			return nil, fmt.Errorf("seed %s: entry %d (%s): body is missing", path, i, e.Operation)
		}
	}
	return f.Seeds, nil
}

// seedRow finds the create row named op.
func seedRow(op string) (operation.Row, error) {
	for _, r := range functions.Operations {
		if r.Name == op {
			if _, action, _ := strings.Cut(r.Name, "."); !strings.HasPrefix(action, "Create") || r.Example == nil {
				return operation.Row{}, fmt.Errorf("operation %q is not a create", op)
			}
			return r, nil
		}
	}
	return operation.Row{}, fmt.Errorf("no operation is called %q", op)
}

// applySeeds sends every entry not applied before through h, in order, and marks each applied
// in st. It stops at the first entry its vendor refuses, naming it and the vendor's answer.
// (A crash between a create and its mark makes the next start send that create again.)
func applySeeds(ctx context.Context, h http.Handler, st store.Store, book *credentials.Book, entries []seedEntry) (applied int, err error) {
	for i, e := range entries {
		mark := store.Ref{Service: "keyport", Kind: seedKind, ID: e.digest()}
		if _, err := st.Get(ctx, mark); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return applied, fmt.Errorf("seed entry %d: %w", i, err)
		}
		row, _ := seedRow(e.Operation)
		req, err := seedRequest(ctx, row, e, book)
		if err != nil {
			return applied, fmt.Errorf("seed entry %d (%s): %w", i, e.Operation, err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if refusal := seedRefusal(row.Dialect, rec); refusal != "" {
			return applied, fmt.Errorf("seed entry %d (%s): refused: %s", i, e.Operation, refusal)
		}
		if err := st.Apply(ctx, store.Tx{{Put: &store.Put{Record: store.Record{Ref: mark, CreatedAt: time.Now()}}}}); err != nil {
			return applied, fmt.Errorf("seed entry %d: mark applied: %w", i, err)
		}
		applied++
	}
	return applied, nil
}

// digest identifies an entry by everything in it.
func (e seedEntry) digest() string {
	var body bytes.Buffer
	if json.Compact(&body, e.Body) != nil {
		body.Write(e.Body)
	}
	sum := sha256.Sum256([]byte(e.Operation + "\x00" + e.Path + "\x00" + e.Principal + "\x00" + body.String()))
	return hex.EncodeToString(sum[:])
}

// seedRequest builds e as its vendor's client sends it: the row's method, path and example
// headers, e's body, signed or authenticated as e's principal.
func seedRequest(ctx context.Context, row operation.Row, e seedEntry, book *credentials.Book) (*http.Request, error) {
	method, _, _ := strings.Cut(row.Route, " ")
	path := e.Path
	if path == "" {
		path = row.Example.Path
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://127.0.0.1"+path, bytes.NewReader(e.Body))
	if err != nil {
		return nil, err
	}
	req.Host, req.RemoteAddr = "127.0.0.1", "127.0.0.1:0"
	for k, v := range row.Example.Header {
		req.Header.Set(k, v)
	}
	req.Header.Del("Authorization")
	return req, authenticate(req, row, e, book)
}

// authenticate signs or authenticates req as its dialect wants, as e's principal.
func authenticate(req *http.Request, row operation.Row, e seedEntry, book *credentials.Book) error {
	switch row.Dialect {
	case operation.Tencent:
		id := or(e.Principal, credentials.DevTencentSecretID)
		key, ok := book.Tencent(id)
		if !ok {
			return fmt.Errorf("principal %q is not a Tencent SecretId of the credentials book", id)
		}
		a, err := tc3.ParseAuthorization(row.Example.Header["authorization"])
		if err != nil {
			return err
		}
		now := time.Now()
		req.Header.Set("X-TC-Timestamp", fmt.Sprint(now.Unix()))
		auth, err := tc3.Sign(id, key.Secret, a.Service, now, []string{"content-type", "host"}, tc3.FromHTTP(req, body(req)))
		req.Header.Set("Authorization", auth)
		return err
	case operation.Alibaba:
		id := or(e.Principal, credentials.DevAlibabaKeyID)
		key, ok := book.Alibaba(id)
		if !ok {
			return fmt.Errorf("principal %q is not an Alibaba AccessKeyId of the credentials book", id)
		}
		nonce := make([]byte, 16)
		_, _ = rand.Read(nonce)
		req.Header.Set("x-acs-date", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
		req.Header.Set("x-acs-signature-nonce", hex.EncodeToString(nonce))
		acs3.Sign(req, body(req), id, key.Secret)
	case operation.Gcore:
		req.Header.Set("Authorization", "APIKey "+or(e.Principal, credentials.DevGcoreAPIKey))
	default: // K5 and Barbican
		req.Header.Set("X-Auth-Token", or(e.Principal, credentials.DevK5Token))
	}
	return nil
}

// body reads req's body and puts it back.
func body(req *http.Request) []byte {
	b, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// seedRefusal is "" for a create its vendor answered as a success, else the status and the
// answer (which never holds a secret: envelopes name fields, not values), cut short.
func seedRefusal(d operation.Dialect, rec *httptest.ResponseRecorder) string {
	b := rec.Body.String()
	if rec.Code/100 == 2 {
		if d != operation.Tencent {
			return ""
		}
		var tc struct {
			Response struct{ Error *json.RawMessage }
		}
		if json.Unmarshal(rec.Body.Bytes(), &tc) == nil && tc.Response.Error == nil {
			return ""
		}
	}
	return fmt.Sprintf("status %d: %s", rec.Code, web.Clip(strings.TrimSpace(b)))
}
