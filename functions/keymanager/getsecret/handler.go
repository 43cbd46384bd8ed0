// Package getsecret is Barbican's GET secrets/{id} (K5: GET /v1/{tenant_id}/secrets/{id};
// upstream: GET /v1/secrets/{id}). With Accept application/json, */* or none it answers the
// secret's metadata, what gophercloud's secrets.Get reads; with any other Accept it answers the
// payload, the deprecated form that is the only one K5 documents. So this operation, like the
// payload read, decrypts.
package getsecret

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
func Pattern(l keymanager.Layout) string { return l.Pattern("GET", "/secrets/{secret_id}") }

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
		panic("getsecret: Deps needs Store, Sealer and Creds")
	}
	return keymanager.Route(keymanager.SecretRetrieval, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.serve(w, r); err != nil {
		keymanager.SecretRetrieval.WriteError(w, r, err)
	}
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request) error {
	rec, err := kmsecret.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		return err
	}
	if !kmsecret.WantsMetadata(r.Header.Get("Accept")) {
		return kmsecret.WritePayload(w, r, h.d.Sealer, rec, !h.d.Layout.Upstream)
	}
	keymanager.WriteJSON(w, r, http.StatusOK, kmsecret.MetadataOf(rec, h.d.Layout.SecretRef(r, rec.Tenant, rec.ID)))
	return nil
}
