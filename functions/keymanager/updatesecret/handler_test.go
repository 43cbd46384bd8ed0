package updatesecret_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/store/dynamostore/dynamotest"
)

// TestUpdateSecret covers every rule of adding a payload, in both layouts; a refusal leaves
// the secret without a payload.
func TestUpdateSecret(t *testing.T) {
	big := strings.Repeat("A", 10001)
	tests := []struct {
		name     string
		k5, up   bool // only in this layout
		id       string
		ctype    string
		encoding string
		body     string
		status   int
		payload  string // what the secret's payload reads back as, after a 204
		desc     string // the error description, after a refusal
	}{
		{name: "octet-stream raw", ctype: "application/octet-stream", body: "\x00\x01raw", status: 204, payload: "\x00\x01raw"},
		{name: "octet-stream base64", ctype: "application/octet-stream", encoding: "base64", body: "c2VjcmV0", status: 204, payload: "secret"},
		{name: "text/plain PEM", ctype: "text/plain; charset=utf-8", body: kmt.PEM, status: 204, payload: kmt.PEM},
		{name: "upstream: text without PEM", up: true, ctype: "text/plain", encoding: "base64", body: "just text", status: 204, payload: "just text"},
		{name: "K5: text without PEM", k5: true, ctype: "text/plain", body: "just text", status: 400,
			desc: "Provided object does not match schema 'Secret': payload must contain a -----BEGIN XXX----- ... -----END XXX----- block. Invalid property: 'payload'"},
		{name: "text not UTF-8", ctype: "text/plain", body: "\xff", status: 400,
			desc: "Provided object does not match schema 'Secret': a text/plain payload must be UTF-8 text. Invalid property: 'payload'"},
		{name: "no Content-Type", body: "x", status: 415, desc: "Unexpected content type. Expected content types are: ['application/octet-stream', 'text/plain']"},
		{name: "JSON", ctype: "application/json", body: `{"payload":"x"}`, status: 415, desc: "Unexpected content type. Expected content types are: ['application/octet-stream', 'text/plain']"},
		{name: "empty", ctype: "application/octet-stream", body: "", status: 400, desc: "No data supplied to process."},
		{name: "base64 of only line breaks", ctype: "application/octet-stream", encoding: "base64", body: "\r\n", status: 400, desc: "No data supplied to process."},
		{name: "bad base64", ctype: "application/octet-stream", encoding: "base64", body: "!!", status: 400,
			desc: "Provided object does not match schema 'Secret': Invalid payload for payload_content_encoding. Invalid property: 'payload'"},
		{name: "other encoding", ctype: "application/octet-stream", encoding: "gzip", body: "x", status: 400,
			desc: "Provided object does not match schema 'Secret': Content-Encoding is not one of ['base64']. Invalid property: 'Content-Encoding'"},
		{name: "K5: over 10000 bytes", k5: true, ctype: "application/octet-stream", body: big, status: 413, desc: "Provided information too large to process"},
		{name: "upstream: 10001 bytes", up: true, ctype: "application/octet-stream", body: big, status: 204, payload: big},
		{name: "upstream: over 20000 bytes", up: true, ctype: "application/octet-stream", body: strings.Repeat("A", 20001), status: 413, desc: "Provided information too large to process"},
		{name: "upstream: over 25000 bytes", up: true, ctype: "application/octet-stream", body: strings.Repeat("A", 25001), status: 413, desc: "Provided information too large to process"},
		{name: "has a payload", id: "text", ctype: "application/octet-stream", body: "x", status: 409, desc: "Secret already has data, cannot modify it."},
		{name: "another project's secret", id: "other", ctype: "application/octet-stream", body: "x", status: 404, desc: "Secret not found."},
		{name: "expired", id: "expired", ctype: "application/octet-stream", body: "x", status: 404, desc: "Secret not found."},
		{name: "not a uuid", id: "x", ctype: "application/octet-stream", body: "x", status: 404, desc: "Not Found. Provided secret id is invalid."},
	}
	for _, l := range kmt.Layouts {
		for _, tt := range tests {
			if tt.k5 && l.Upstream || tt.up && !l.Upstream {
				continue
			}
			t.Run(l.Name+"/"+tt.name, func(t *testing.T) {
				e := kmt.New(t)
				f := e.Fixtures(t)
				id := map[string]string{"": f.Meta, "text": f.Text, "other": f.Other, "expired": f.Expired, "x": "x"}[tt.id]
				headers := []string{"X-Auth-Token", kmt.Token}
				if tt.ctype != "" {
					headers = append(headers, "Content-Type", tt.ctype)
				}
				if tt.encoding != "" {
					headers = append(headers, "Content-Encoding", tt.encoding)
				}
				before := e.Record(t, kmt.Project, f.Meta)
				resp := e.Do(t, http.MethodPut, kmt.Path(l.Upstream, kmt.Project, id, ""), tt.body, headers...)
				if resp.Status != tt.status {
					t.Fatalf("got %d %s, want %d", resp.Status, resp.Body, tt.status)
				}
				if tt.status == 204 {
					if len(resp.Body) != 0 {
						t.Errorf("204 body: got %q, want none", resp.Body)
					}
					got := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, kmt.Project, id, "/payload"), "", "X-Auth-Token", kmt.Token, "Accept", "application/octet-stream")
					if string(got.Body) != tt.payload {
						t.Errorf("payload: got %q, want %q", got.Body, tt.payload)
					}
					return
				}
				if !strings.Contains(string(resp.Body), `"description":"`+tt.desc+`"`) {
					t.Errorf("body: got %s, want description %q", resp.Body, tt.desc)
				}
				if after := e.Record(t, kmt.Project, f.Meta); after.Sealed != nil || after.Version != before.Version {
					t.Errorf("a refusal changed the secret: version %d -> %d, sealed %v", before.Version, after.Version, after.Sealed != nil)
				}
			})
		}
	}
}

// TestUpdateSecretRecordsType checks the metadata after a PUT: content_types and updated move,
// created does not, and the type is the media type without parameters.
func TestUpdateSecretRecordsType(t *testing.T) {
	e := kmt.New(t)
	f := e.Fixtures(t)
	resp := e.Do(t, http.MethodPut, kmt.Path(false, kmt.Project, f.Meta, ""), kmt.PEM, "X-Auth-Token", kmt.Token, "Content-Type", "text/plain; charset=utf-8")
	if resp.Status != 204 {
		t.Fatalf("PUT: got %d %s", resp.Status, resp.Body)
	}
	m := kmsecret.MetadataOf(e.Record(t, kmt.Project, f.Meta), "")
	if m.ContentTypes["default"] != "text/plain" || m.Created != "2026-03-04T05:06:07.123456" || m.Updated <= m.Created {
		t.Errorf("got content_types %v, created %s, updated %s; want text/plain, the fixture's created, a later updated", m.ContentTypes, m.Created, m.Updated)
	}
}

// TestUpdateSecretConcurrently races PUTs on one metadata-only secret on both drivers: exactly
// one adds its payload, every other gets 409, and the stored payload is the winner's.
func TestUpdateSecretConcurrently(t *testing.T) {
	data := localdatatest.Open(t)
	drivers := map[string]kmt.Store{"bolt": data.Store, "dynamodb": dynamotest.Open(t)}
	for name, st := range drivers {
		t.Run(name, func(t *testing.T) {
			e := kmt.NewWith(t, st, data.Sealer)
			id := e.Create(t, kmt.Project, `{"name":"race"}`)
			const n = 8
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					resp := e.Do(t, http.MethodPut, kmt.Path(i%2 == 1, kmt.Project, id, ""), "payload-"+string(rune('a'+i)),
						"X-Auth-Token", kmt.Token, "Content-Type", "application/octet-stream")
					statuses[i] = resp.Status
				}()
			}
			wg.Wait()
			winner := -1
			for i, s := range statuses {
				switch {
				case s == 204 && winner < 0:
					winner = i
				case s != 409:
					t.Errorf("request %d: got %d, want one 204 and the rest 409 (all: %v)", i, s, statuses)
				}
			}
			if winner < 0 {
				t.Fatalf("no request won: %v", statuses)
			}
			rec := e.Record(t, kmt.Project, id)
			plain, err := data.Sealer.Open(context.Background(), kmsecret.Scope(kmt.Project), rec.Ref.AAD(), rec.Sealed)
			if err != nil || string(plain) != "payload-"+string(rune('a'+winner)) {
				t.Errorf("stored payload: got %q, %v; want the winner's", plain, err)
			}
		})
	}
}
