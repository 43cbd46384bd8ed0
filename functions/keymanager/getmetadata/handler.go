// Package getmetadata is Barbican's GET secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.GetMetadata: the secret's user
// metadata, {"metadata": {key: value, …}}.
package getmetadata

import (
	"context"
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string { return l.Pattern("GET", "/secrets/{secret_id}/metadata") }

type reader interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Deps is what the handler needs.
type Deps struct {
	Store  reader
	Creds  *credentials.Book
	Layout keymanager.Layout
}

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("getmetadata: Deps needs Store and Creds")
	}
	return keymanager.Route(keymanager.SecretMetadata, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec, err := kmsecret.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		keymanager.SecretMetadata.WriteError(w, r, err)
		return
	}
	keymanager.WriteJSON(w, r, http.StatusOK, map[string]map[string]string{"metadata": kmsecret.UserMetadata(rec)})
}
