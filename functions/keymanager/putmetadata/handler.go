// Package putmetadata is Barbican's PUT secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadata: it replaces the
// secret's user metadata as a whole and answers 201 with {"metadata_ref": …}.
package putmetadata

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string { return l.Pattern("PUT", "/secrets/{secret_id}/metadata") }

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps = kmsecret.MetadataDeps

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	return keymanager.Route(keymanager.SecretMetadata, Pattern(d.Layout), &handler{d: d.Checked("putmetadata")})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ref, err := h.put(r)
	if err != nil {
		keymanager.SecretMetadata.WriteError(w, r, err)
		return
	}
	keymanager.WriteJSON(w, r, http.StatusCreated, map[string]string{"metadata_ref": ref})
}

func (h *handler) put(r *http.Request) (string, error) {
	var m map[string]string
	rec, err := h.d.Change(r, func(body []byte) (err error) {
		if m, err = kmsecret.DecodeMetadata(body); err != nil {
			return err
		}
		if len(m) > kmsecret.MaxMetadata {
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
