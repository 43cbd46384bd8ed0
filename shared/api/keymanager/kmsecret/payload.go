package kmsecret

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// The payload media types, as Barbican spells them.
const (
	OctetStream = "application/octet-stream"
	PKCS8       = "application/pkcs8"
	TextPlain   = "text/plain"
)

// WantsMetadata reports whether a GET secrets/{id} asks for the metadata: no Accept,
// application/json or */*, as Barbican's is_json_request_accept decides. Any other Accept asks
// for the payload (the deprecated form, and the only one K5 documents). Parameters after the
// media type (charset) do not make application/json another type.
func WantsMetadata(accept string) bool {
	media := MediaType(accept)
	return media == "" || media == "application/json" || media == "*/*"
}

// MediaType is the media type of a Content-Type or Accept value: lower-cased, without
// parameters, as webob's content_type gives it to Barbican.
func MediaType(v string) string {
	m, _, _ := strings.Cut(v, ";")
	return strings.ToLower(strings.TrimSpace(m))
}

// Negotiate decides how a payload stored as stored is rendered for accept, and returns the
// Content-Type of the answer. The payload path treats an absent Accept as octet-stream;
// */* means the stored type. Text is only text if it is valid UTF-8 (checked by Open); K5
// refuses text/plain for a secret stored as binary, where upstream decodes whatever it has
// (docs/wire/keymanager.md, "Payload read"). Any other Accept, including a list of types (Barbican
// compares the header as a whole), is 406. The answer's Content-Type is the type chosen,
// as Barbican renders the payload under the Accept it was asked for.
func Negotiate(accept, stored string, k5 bool) (contentType string, text bool, err error) {
	media := MediaType(accept)
	switch media {
	case "":
		return OctetStream, false, nil
	case "*/*":
		if stored == "" {
			return OctetStream, false, nil
		}
		return stored, IsText(stored), nil
	case OctetStream, PKCS8:
		return media, false, nil
	case TextPlain:
		if !isTextAccept(accept) {
			break
		}
		if k5 && !IsText(stored) {
			return "", false, notAcceptable()
		}
		return strings.TrimSpace(accept), true, nil
	}
	return "", false, notAcceptable()
}

// isTextAccept accepts text/plain alone or with charset=utf-8, the forms Barbican knows.
func isTextAccept(accept string) bool {
	_, params, _ := strings.Cut(accept, ";")
	params = strings.ToLower(strings.TrimSpace(params))
	return params == "" || params == "charset=utf-8"
}

func notAcceptable() error {
	return fault.New(fault.NotAcceptable, "Accept", "wrong payload content-type")
}

// Opener decrypts a sealed payload (a *seal.Sealer).
type Opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// NoPayload is Barbican's 404 for a payload read of a metadata-only secret.
func NoPayload() error {
	return fault.New(fault.NotFound, "", "Not Found. Sorry but your secret has no payload.")
}

// Open negotiates rec's payload against accept (see Negotiate; k5 for K5's layout), opens it
// and returns it with the Content-Type to answer it under. The caller clears plain once sent.
// Nothing about the payload reaches an error or a log.
func Open(ctx context.Context, o Opener, rec store.Record, accept string, k5 bool) (contentType string, plain []byte, err error) {
	if rec.Sealed == nil {
		return "", nil, NoPayload()
	}
	contentType, text, err := Negotiate(accept, rec.Attrs.String("payload_content_type"), k5)
	if err != nil {
		return "", nil, err
	}
	plain, err = o.Open(ctx, Scope(rec.Tenant), rec.Ref.AAD(), rec.Sealed)
	if err != nil {
		// %v: the opaque open error is the server's, never a client fault kind.
		return "", nil, fmt.Errorf("kmsecret: open: %v", err)
	}
	if text && !utf8.Valid(plain) {
		clear(plain)
		return "", nil, notAcceptable()
	}
	return contentType, plain, nil
}
