package kmsecret

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"keyport/shared/api/keymanager"
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
	media := mediaType(accept)
	return media == "" || media == "application/json" || media == "*/*"
}

// mediaType is accept's media type, lower-cased and without parameters.
func mediaType(v string) string {
	m, _, _ := strings.Cut(v, ";")
	return strings.ToLower(strings.TrimSpace(m))
}

// Negotiate decides how a payload stored as stored is rendered for accept, and returns the
// Content-Type of the answer. The payload path treats an absent Accept as octet-stream;
// */* means the stored type. Text is only text if it is valid UTF-8 (checked by Render); K5
// refuses text/plain for a secret stored as binary, as its retrieve page documents, where
// upstream decodes whatever it has. Any other Accept, including a list of types (Barbican
// compares the header as a whole), is 406. The answer's Content-Type is the type chosen,
// as Barbican renders the payload under the Accept it was asked for.
func Negotiate(accept, stored string, k5 bool) (contentType string, text bool, err error) {
	media := mediaType(accept)
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

// opener decrypts a sealed payload.
type opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// NoPayload is Barbican's 404 for a payload read of a metadata-only secret.
func NoPayload() error {
	return fault.New(fault.NotFound, "", "Not Found. Sorry but your secret has no payload.")
}

// WritePayload negotiates rec's payload against r's Accept, opens it and writes it. Nothing
// about the payload reaches an error or a log.
func WritePayload(w http.ResponseWriter, r *http.Request, o opener, rec store.Record, k5 bool) error {
	if rec.Sealed == nil {
		return NoPayload()
	}
	contentType, text, err := Negotiate(r.Header.Get("Accept"), rec.Attrs.String("payload_content_type"), k5)
	if err != nil {
		return err
	}
	plain, err := o.Open(r.Context(), Scope(rec.Tenant), rec.Ref.AAD(), rec.Sealed)
	if err != nil {
		// %v: the opaque open error is the server's, never a client fault kind.
		return fmt.Errorf("keymanager: open: %v", err)
	}
	defer clear(plain)
	if text && !utf8.Valid(plain) {
		return notAcceptable()
	}
	h := w.Header()
	keymanager.SetRequestID(h, r)
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(plain)
	return nil
}
