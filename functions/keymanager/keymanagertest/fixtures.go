package keymanagertest

import (
	"context"
	"testing"
	"time"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/store"
)

// PEM is a text payload that passes K5's PEM rule.
const PEM = "-----BEGIN CERTIFICATE-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\n-----END CERTIFICATE-----"

// Fixtures are secrets of every shape, created through the K5 create.
type Fixtures struct {
	Octet   string // application/octet-stream, payload 0xff 0x00 (not UTF-8)
	Text    string // text/plain, payload PEM
	Meta    string // metadata only: aes/256/cbc, symmetric, an expiration
	Other   string // OtherProject's text secret
	Expired string // a secret whose expiration has passed (written straight to the store)
}

// Fixed is the clock the fixtures are created at, so their created/updated are stable.
var Fixed = time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)

// Fixtures creates one secret of each shape.
func (e *Env) Fixtures(tb testing.TB) Fixtures {
	tb.Helper()
	now := e.Now
	e.Now = func() time.Time { return Fixed }
	defer func() { e.Now = now }()
	text := `{"name":"pem","payload":"` + jsonEscape(PEM) + `","payload_content_type":"text/plain","secret_type":"certificate"}`
	f := Fixtures{
		Octet: e.Create(tb, Project, `{"name":"bin","payload":"/wA=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`),
		Text:  e.Create(tb, Project, text),
		Meta:  e.Create(tb, Project, `{"name":"meta","algorithm":"aes","bit_length":256,"mode":"cbc","secret_type":"symmetric","expiration":"2099-01-01T00:00:00"}`),
		Other: e.Create(tb, OtherProject, text),
	}
	f.Expired = "00000000-0000-4000-8000-000000000001"
	rec := store.Record{Ref: kmsecret.Ref(Project, f.Expired), CreatedAt: Fixed, ExpiresAt: time.Now().Add(-time.Second),
		Attrs: store.Attrs{"name": "gone", "secret_type": "opaque", "status": "ACTIVE", "created": "2026-01-01T00:00:00", "updated": "2026-01-01T00:00:00"}}
	if err := e.Store.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: rec}}}); err != nil {
		tb.Fatal(err)
	}
	return f
}

func jsonEscape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, '\\', 'n')
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}
