// Package getpayload is Barbican's GET secrets/{id}/payload (K5 layout:
// /v1/{tenant_id}/secrets/{id}/payload), what gophercloud's secrets.GetPayload calls: the
// decrypted payload, negotiated against Accept (see kmsecret.Negotiate).
package getpayload

import (
	"context"
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string { return l.Pattern("GET", "/secrets/{secret_id}/payload") }

type reader interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

type opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// Deps is what the handler needs.
type Deps struct {
	Store  reader
	Sealer opener
	Creds  *credentials.Book
	Layout keymanager.Layout
}

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Sealer == nil || d.Creds == nil {
		panic("getpayload: Deps needs Store, Sealer and Creds")
	}
	return keymanager.Route(keymanager.SecretPayloadRetrieval, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.serve(w, r); err != nil {
		keymanager.SecretPayloadRetrieval.WriteError(w, r, err)
	}
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request) error {
	rec, err := kmsecret.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		return err
	}
	return kmsecret.WritePayload(w, r, h.d.Sealer, rec, !h.d.Layout.Upstream)
}
