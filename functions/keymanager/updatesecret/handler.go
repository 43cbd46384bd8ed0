// Package updatesecret is Barbican's PUT secrets/{id} (K5 layout: /v1/{tenant_id}/secrets/{id}),
// gophercloud's secrets.Update: it adds a payload to a secret created without one. It is not a
// rotation: a secret that has a payload answers 409, as in Barbican.
//
// Checks run in Barbican's order: the token (401/403), the secret (404), the Content-Type
// (415), the body limit (413), an empty body (400), then the payload rules of the layout, then
// the existing payload (409). Only then is the payload sealed and written, in one versioned
// update, so of two concurrent PUTs exactly one succeeds and a refusal writes nothing.
package updatesecret

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string { return l.Pattern("PUT", "/secrets/{secret_id}") }

type readWriter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps struct {
	Store  readWriter
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
	Layout keymanager.Layout
}

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Sealer == nil || d.Creds == nil {
		panic("updatesecret: Deps needs Store, Sealer and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return keymanager.Route(keymanager.SecretUpdate, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.update(r); err != nil {
		keymanager.SecretUpdate.WriteError(w, r, err)
		return
	}
	keymanager.WriteNoContent(w, r)
}

func (h *handler) update(r *http.Request) error {
	project, err := h.d.Layout.Project(r, h.d.Creds)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := kmsecret.Lookup(ctx, h.d.Store, project, r.PathValue("secret_id"))
	if err != nil {
		return err
	}
	rules := rulesOf(h.d.Layout)
	p, err := decode(r, rules)
	if err != nil {
		return err
	}
	defer clear(p.plaintext)
	if rec.Sealed != nil {
		return alreadyHasData()
	}
	blob, err := h.d.Sealer.Seal(ctx, kmsecret.Scope(project), rec.Ref.AAD(), p.plaintext)
	if err != nil {
		return fmt.Errorf("updatesecret: seal: %v", err)
	}
	return h.write(ctx, rec, p.contentType, blob)
}

// attempts bounds the retries of a write that lost a race with another change of the same
// secret (a metadata edit, say): each retry re-reads it, so a concurrent payload wins with 409.
const attempts = 3

// write stores blob on rec at rec's version. If the secret changed meanwhile it is read again:
// gone is 404, given a payload is 409, otherwise the write is tried again at the new version.
func (h *handler) write(ctx context.Context, rec store.Record, contentType string, blob []byte) error {
	for range attempts {
		now := h.d.Now().UTC()
		err := h.d.Store.Apply(ctx, store.Tx{{Update: &store.Update{
			Ref: rec.Ref, IfVersion: rec.Version, Sealed: blob, At: now,
			Set: store.Attrs{"payload_content_type": contentType, "updated": kmsecret.Isoformat(now)},
		}}})
		c := store.ConflictOf(err)
		if err == nil || c == nil {
			return storeFault(err)
		}
		if rec, err = h.d.Store.Get(ctx, rec.Ref); err != nil {
			return storeFault(err)
		}
		if rec.Sealed != nil {
			return alreadyHasData()
		}
	}
	return fmt.Errorf("updatesecret: the secret kept changing over %d attempts", attempts)
}

func alreadyHasData() error {
	return fault.New(fault.Exists, "", "Secret already has data, cannot modify it.")
}

// storeFault is this operation's one mapping of store errors: a secret gone is 404, anything
// else is the server's (%v, so no driver error becomes a client status).
func storeFault(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return kmsecret.NotFound()
	}
	return fmt.Errorf("updatesecret: store: %v", err)
}
