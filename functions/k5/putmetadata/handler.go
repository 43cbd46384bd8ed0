// Package putmetadata is Barbican's PUT secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadata: it replaces the
// secret's user metadata as a whole and answers 201 with {"metadata_ref": …}.
package putmetadata

import (
	"context"
	"net/http"
	"time"

	"keyport/shared/api/barbican"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/keymanager"
	"keyport/shared/store"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l barbican.Layout) string { return l.Pattern("PUT", "/secrets/{secret_id}/metadata") }

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
		panic("putmetadata: Deps needs Store and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return barbican.Route(barbican.SecretMetadata, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ref, err := h.put(r)
	if err != nil {
		barbican.SecretMetadata.WriteError(w, r, err)
		return
	}
	barbican.WriteJSON(w, r, http.StatusCreated, map[string]string{"metadata_ref": ref})
}

func (h *handler) put(r *http.Request) (string, error) {
	rec, err := keymanager.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		return "", err
	}
	body, err := keymanager.ReadJSON(r, h.d.Layout)
	if err != nil {
		return "", err
	}
	m, err := keymanager.DecodeMetadata(body)
	if err != nil {
		return "", err
	}
	if len(m) > keymanager.MaxMetadata {
		return "", fault.New(fault.LimitExceeded, "metadata", "too many keys")
	}
	err = keymanager.ChangeMetadata(r.Context(), h.d.Store, rec, h.d.Now(), func(old map[string]string) error {
		clear(old)
		for k, v := range m {
			old[k] = v
		}
		return nil
	})
	return h.d.Layout.SecretRef(r, rec.Tenant, rec.ID) + "/metadata", err
}
