package getpayload_test

import (
	"bytes"
	"net/http"
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

// TestGetPayload is the Accept matrix of the payload read, in both layouts: K5 refuses
// text/plain for a binary secret as its retrieve page says; upstream decodes what it has and
// refuses only what is not UTF-8.
func TestGetPayload(t *testing.T) {
	e := kmt.New(t)
	f := e.Fixtures(t)
	utf8Octet := e.Create(t, kmt.Project, `{"payload":"aGk=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`)
	tests := []struct {
		name        string
		id          string
		accept      string // "-" sends none
		upstream    bool   // run in the upstream layout only
		k5          bool   // run in the K5 layout only
		status      int
		contentType string
		body        string // the exact body (payload or error description)
	}{
		{name: "no Accept is octet-stream", id: f.Octet, accept: "-", status: 200, contentType: "application/octet-stream", body: "\xff\x00"},
		{name: "octet-stream", id: f.Octet, accept: "application/octet-stream", status: 200, contentType: "application/octet-stream", body: "\xff\x00"},
		{name: "pkcs8 is raw bytes", id: f.Octet, accept: "application/pkcs8", status: 200, contentType: "application/pkcs8", body: "\xff\x00"},
		{name: "*/* is the stored type (binary)", id: f.Octet, accept: "*/*", status: 200, contentType: "application/octet-stream", body: "\xff\x00"},
		{name: "*/* is the stored type (text)", id: f.Text, accept: "*/*", status: 200, contentType: "text/plain", body: kmt.PEM},
		{name: "text/plain", id: f.Text, accept: "text/plain", status: 200, contentType: "text/plain", body: kmt.PEM},
		{name: "text/plain;charset=utf-8", id: f.Text, accept: "text/plain;charset=utf-8", status: 200, contentType: "text/plain;charset=utf-8", body: kmt.PEM},
		{name: "text/plain; charset=UTF-8", id: f.Text, accept: "text/plain; charset=UTF-8", status: 200, contentType: "text/plain; charset=UTF-8", body: kmt.PEM},
		{name: "text as octet-stream", id: f.Text, accept: "application/octet-stream", status: 200, contentType: "application/octet-stream", body: kmt.PEM},
		{name: "K5: text/plain of an octet-stream secret", k5: true, id: utf8Octet, accept: "text/plain", status: 406},
		{name: "upstream: text/plain of UTF-8 octets", upstream: true, id: utf8Octet, accept: "text/plain", status: 200, contentType: "text/plain", body: "hi"},
		{name: "upstream: text/plain of non-UTF-8", upstream: true, id: f.Octet, accept: "text/plain", status: 406},
		{name: "text/plain with another charset", id: f.Text, accept: "text/plain; charset=latin-1", status: 406},
		{name: "a list of types", id: f.Text, accept: "text/plain, */*", status: 406},
		{name: "application/json", id: f.Text, accept: "application/json", status: 406},
		{name: "no payload", id: f.Meta, accept: "text/plain", status: 404},
		{name: "another project's secret", id: f.Other, accept: "text/plain", status: 404},
		{name: "expired", id: f.Expired, accept: "text/plain", status: 404},
		{name: "not a uuid", id: "x", accept: "text/plain", status: 404},
	}
	for _, l := range kmt.Layouts {
		for _, tt := range tests {
			if tt.upstream && !l.Upstream || tt.k5 && l.Upstream {
				continue
			}
			t.Run(l.Name+"/"+tt.name, func(t *testing.T) {
				headers := []string{"X-Auth-Token", kmt.Token}
				if tt.accept != "-" {
					headers = append(headers, "Accept", tt.accept)
				}
				resp := e.Do(t, http.MethodGet, kmt.Path(l.Upstream, kmt.Project, tt.id, "/payload"), "", headers...)
				if resp.Status != tt.status {
					t.Fatalf("got %d %q, want %d", resp.Status, resp.Body, tt.status)
				}
				if tt.status != 200 {
					if resp.Header.Get("Content-Type") != "application/json" {
						t.Errorf("refusal Content-Type: got %q, want application/json", resp.Header.Get("Content-Type"))
					}
					return
				}
				if got := resp.Header.Get("Content-Type"); got != tt.contentType {
					t.Errorf("Content-Type: got %q, want %q", got, tt.contentType)
				}
				if !bytes.Equal(resp.Body, []byte(tt.body)) {
					t.Errorf("body: got %q, want %q", resp.Body, tt.body)
				}
			})
		}
	}
}

// TestGetPayloadRefusals pins the bodies of the refusals.
func TestGetPayloadRefusals(t *testing.T) {
	e := kmt.New(t)
	f := e.Fixtures(t)
	for _, tt := range []struct{ name, id, accept, golden string }{
		{"wrong type", f.Octet, "text/plain", "not_acceptable"},
		{"no payload", f.Meta, "*/*", "no_payload"},
		{"unknown", f.Other, "*/*", "not_found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.Do(t, http.MethodGet, kmt.Path(false, kmt.Project, tt.id, "/payload"), "", "X-Auth-Token", kmt.Token, "Accept", tt.accept)
			e.Golden(t, tt.golden, resp.Body)
		})
	}
}
