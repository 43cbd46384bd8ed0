// Package updatemetadatum is Barbican's PUT secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.UpdateMetadatum: it sets
// an existing key's value and answers 200 {"key", "value"}; 404 if the key is absent, 409 if
// the body names another key than the path.
package updatemetadatum

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
	return l.Pattern("PUT", "/secrets/{secret_id}/metadata/{key}")
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
		panic("updatemetadatum: Deps needs Store and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return barbican.Route(barbican.SecretMetadatum, Pattern(d.Layout), &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key, value, err := h.update(r)
	if err != nil {
		barbican.SecretMetadatum.WriteError(w, r, err)
		return
	}
	barbican.WriteJSON(w, r, http.StatusOK, map[string]string{"key": key, "value": value})
}

func (h *handler) update(r *http.Request) (key, value string, err error) {
	rec, err := keymanager.Secret(r, h.d.Layout, h.d.Creds, h.d.Store)
	if err != nil {
		return "", "", err
	}
	body, err := keymanager.ReadJSON(r, h.d.Layout)
	if err != nil {
		return "", "", err
	}
	if key, value, err = keymanager.DecodeMetadatum(body); err != nil {
		return "", "", err
	}
	if key != strings.ToLower(r.PathValue("key")) {
		return "", "", fault.New(fault.Exists, "key", "Conflict. Key in request body does not match key in request path.")
	}
	err = keymanager.ChangeMetadata(r.Context(), h.d.Store, rec, h.d.Now(), func(m map[string]string) error {
		if _, ok := m[key]; !ok {
			return fault.New(fault.NotFound, "", "Secret metadata not found.")
		}
		m[key] = value
		return nil
	})
	return key, value, err
}
