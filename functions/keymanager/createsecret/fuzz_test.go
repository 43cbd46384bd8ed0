package createsecret

import (
	"testing"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/fault"
)

// FuzzDecodeCreateSecret feeds arbitrary bodies to decode (JSON, schema and every rule): it
// must never panic, and every refusal must be a client fault, never an internal one.
func FuzzDecodeCreateSecret(f *testing.F) {
	for _, c := range rejectCases {
		f.Add([]byte(c.body))
	}
	for _, s := range []string{
		`{}`,
		`{"name":"key1","expiration":"2099-02-28T19:14:44.180394","payload":"-----BEGIN XXXX-----MIIEowRwg7Jp-----END XXXX-----","payload_content_type":"text/plain"}`,
		`{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64","secret_type":"opaque","bit_length":256}`,
		`{"payload":"-----BEGIN A-----\r\nQUJD\r\n-----END A-----","payload_content_type":"text/plain;charset=utf-8"}`,
		`{"name":"\u00e9","bit_length":-0,"expiration":"2030-01-02T03:04:05Z"}`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, l := range []keymanager.Layout{keymanager.K5, keymanager.Upstream} {
			fuzzDecode(t, body, now, l)
		}
	})
}

// fuzzDecode checks one body against one layout's rules.
func fuzzDecode(t *testing.T, body []byte, now time.Time, l keymanager.Layout) {
	{
		req, err := decode(body, now, l)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("decode(%q): got internal error %v, want a client fault", body, err)
			}
			return
		}
		if req.payload.present != (req.plaintext != nil) {
			t.Fatalf("decode(%q): payload present=%v but plaintext set=%v", body, req.payload.present, req.plaintext != nil)
		}
		if !req.expires.IsZero() && !req.expires.After(now) {
			t.Fatalf("decode(%q): accepted expiration %v, not after %v", body, req.expires, now)
		}
		_ = req.record("t", "id", now, l)
	}
}
