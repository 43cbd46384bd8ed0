// Package deletemetadatum is Barbican's DELETE secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.DeleteMetadatum: 204, or
// 404 "Secret metadata not found." if the secret has no such key.
package deletemetadatum

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string {
	return l.Pattern("DELETE", "/secrets/{secret_id}/metadata/{key}")
}

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps = kmsecret.MetadataDeps

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	return keymanager.Route(keymanager.SecretMetadatum, Pattern(d.Layout), &handler{d: d.Checked("deletemetadatum")})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.delete(r); err != nil {
		keymanager.SecretMetadatum.WriteError(w, r, err)
		return
	}
	keymanager.WriteNoContent(w, r)
}

func (h *handler) delete(r *http.Request) error {
	key := kmsecret.MetadataPathKey(r)
	_, err := h.d.Change(r, nil, func(m map[string]string) error {
		if _, ok := m[key]; !ok {
			return kmsecret.MetadatumNotFound()
		}
		delete(m, key)
		return nil
	})
	return err
}
