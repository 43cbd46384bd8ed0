// Package deletemetadatum is Barbican's DELETE secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.DeleteMetadatum: 204, or
// 404 "Secret metadata not found." if the secret has no such key.
package deletemetadatum

import (
	"context"
	"net/http"
	"strings"
	"time"

	"keyport/shared/api/barbican"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/keymanager"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l barbican.Layout) string {
	return l.Pattern("DELETE", "/secrets/{secret_id}/metadata/{key}")
}

type readWriter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps struct {
	Store  readWriter
	Creds  *credentials.Book
	Now    func() time.Time
	Layout barbican.Layout
}

// New returns the handler, routed at Pattern(d.Layout) by itself (see barbican.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("deletemetadatum: Deps needs Store and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return barbican.Route(barbican.SecretMetadatum, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.delete(r); err != nil {
		barbican.SecretMetadatum.WriteError(w, r, err)
		return
	}
	barbican.WriteNoContent(w, r)
}

func (h *handler) delete(r *http.Request) error {
	rec, err := keymanager.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		return err
	}
	key := strings.ToLower(r.PathValue("key"))
	return keymanager.ChangeMetadata(r.Context(), h.d.Store, rec, h.d.Now(), func(m map[string]string) error {
		if _, ok := m[key]; !ok {
			return fault.New(fault.NotFound, "", "Secret metadata not found.")
		}
		delete(m, key)
		return nil
	})
}
