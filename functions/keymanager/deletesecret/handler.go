// Package deletesecret is Barbican's DELETE secrets/{id} (K5 layout:
// /v1/{tenant_id}/secrets/{id}): the secret is gone at once, later reads and lists answer 404.
// It answers 204, never 200 (gophercloud's secrets.Delete accepts only 202 and 204), with or
// without Accept: application/json, which gophercloud always sends.
package deletesecret

import (
	"context"
	"fmt"
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string { return l.Pattern("DELETE", "/secrets/{secret_id}") }

type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps is what the handler needs.
type Deps struct {
	Store  applier
	Creds  *credentials.Book
	Layout keymanager.Layout
}

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("deletesecret: Deps needs Store and Creds")
	}
	return keymanager.Route(keymanager.SecretDeletion, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.delete(r); err != nil {
		keymanager.SecretDeletion.WriteError(w, r, err)
		return
	}
	keymanager.WriteNoContent(w, r)
}

// delete removes the project's secret in one action: the store's own precondition (live) says
// whether it was there, so a concurrent delete or expiry cannot make two 204s.
func (h *handler) delete(r *http.Request) error {
	project, err := h.d.Layout.Project(r, h.d.Creds)
	if err != nil {
		return err
	}
	id := r.PathValue("secret_id")
	if !kmsecret.ValidID(id) {
		return kmsecret.InvalidID()
	}
	audit.SetResource(r.Context(), id)
	return storeFault(h.d.Store.Apply(r.Context(), store.Tx{{Delete: &store.Delete{Ref: kmsecret.Ref(project, id)}}}))
}

// storeFault is this operation's one mapping of store errors: a missing record is the 404 of
// an unknown secret, anything else is the server's (%v, so no driver error becomes a status).
func storeFault(err error) error {
	if err == nil {
		return nil
	}
	if c := store.ConflictOf(err); c != nil && c.Reason == store.Missing {
		return kmsecret.NotFound()
	}
	return fmt.Errorf("deletesecret: store: %v", err)
}
