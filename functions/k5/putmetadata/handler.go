// Package putmetadata is Barbican's PUT secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadata: it replaces the
// secret's user metadata as a whole and answers 201 with {"metadata_ref": …}.
package putmetadata

import (
	"net/http"

	"keyport/shared/api/barbican"
	"keyport/shared/fault"
	"keyport/shared/keymanager"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l barbican.Layout) string { return l.Pattern("PUT", "/secrets/{secret_id}/metadata") }

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps = keymanager.MetadataDeps

// New returns the handler, routed at Pattern(d.Layout) by itself (see barbican.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	return barbican.Route(barbican.SecretMetadata, Pattern(d.Layout), &handler{d: d.Checked("putmetadata")})
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
	var m map[string]string
	rec, err := h.d.Change(r, func(body []byte) (err error) {
		if m, err = keymanager.DecodeMetadata(body); err != nil {
			return err
		}
		if len(m) > keymanager.MaxMetadata {
			return fault.New(fault.LimitExceeded, "metadata", "too many keys")
		}
		return nil
	}, func(old map[string]string) error {
		clear(old)
		for k, v := range m {
			old[k] = v
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return h.d.Layout.SecretRef(r, rec.Tenant, rec.ID) + "/metadata", nil
}
