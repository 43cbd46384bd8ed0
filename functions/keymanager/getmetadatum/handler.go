// Package getmetadatum is Barbican's GET secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.GetMetadatum:
// {"key", "value"}, or 404 "Secret metadata not found.".
package getmetadatum

import (
	"context"
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string {
	return l.Pattern("GET", "/secrets/{secret_id}/metadata/{key}")
}

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
		panic("getmetadatum: Deps needs Store and Creds")
	}
	return keymanager.Route(keymanager.SecretMetadatum, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec, err := kmsecret.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		keymanager.SecretMetadatum.WriteError(w, r, err)
		return
	}
	key := kmsecret.MetadataPathKey(r)
	value, ok := kmsecret.UserMetadata(rec)[key]
	if !ok {
		keymanager.SecretMetadatum.WriteError(w, r, kmsecret.MetadatumNotFound())
		return
	}
	keymanager.WriteJSON(w, r, http.StatusOK, map[string]string{"key": key, "value": value})
}
