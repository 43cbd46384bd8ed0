// Package createmetadatum is Barbican's POST secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadatum: it adds one
// key, answering 201 {"key", "value"} with its Location, or 409 if the secret has the key.
package createmetadatum

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
func Pattern(l barbican.Layout) string { return l.Pattern("POST", "/secrets/{secret_id}/metadata") }

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
		panic("createmetadatum: Deps needs Store and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return barbican.Route(barbican.SecretMetadatum, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

// metadatum is the body of the answer.
type metadatum struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m, ref, err := h.create(r)
	if err != nil {
		barbican.SecretMetadatum.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", ref)
	barbican.WriteJSON(w, r, http.StatusCreated, m)
}

func (h *handler) create(r *http.Request) (metadatum, string, error) {
	rec, err := keymanager.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		return metadatum{}, "", err
	}
	body, err := keymanager.ReadJSON(r, h.d.Layout)
	if err != nil {
		return metadatum{}, "", err
	}
	key, value, err := keymanager.DecodeMetadatum(body)
	if err != nil {
		return metadatum{}, "", err
	}
	err = keymanager.ChangeMetadata(r.Context(), h.d.Store, rec, h.d.Now(), func(m map[string]string) error {
		if _, ok := m[key]; ok {
			return fault.New(fault.Exists, "key", "Conflict. Key in request is already in the secret metadata")
		}
		if len(m) >= keymanager.MaxMetadata {
			return fault.New(fault.LimitExceeded, "key", "too many keys")
		}
		m[key] = value
		return nil
	})
	ref := h.d.Layout.SecretRef(r, rec.Tenant, rec.ID) + "/metadata/" + key
	return metadatum{key, value}, ref, err
}
