// Package updatemetadatum is Barbican's PUT secrets/{id}/metadata/{key} (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata/{key}), gophercloud's secrets.UpdateMetadatum: it sets
// an existing key's value and answers 200 {"key", "value"}; 404 if the key is absent, 409 if
// the body names another key than the path.
package updatemetadatum

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string {
	return l.Pattern("PUT", "/secrets/{secret_id}/metadata/{key}")
}

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps = kmsecret.MetadataDeps

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	return keymanager.Route(keymanager.SecretMetadatum, Pattern(d.Layout), &handler{d: d.Checked("updatemetadatum")})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key, value, err := h.update(r)
	if err != nil {
		keymanager.SecretMetadatum.WriteError(w, r, err)
		return
	}
	keymanager.WriteJSON(w, r, http.StatusOK, map[string]string{"key": key, "value": value})
}

func (h *handler) update(r *http.Request) (key, value string, err error) {
	_, err = h.d.Change(r, func(body []byte) (err error) {
		if key, value, err = kmsecret.DecodeMetadatum(body); err != nil {
			return err
		}
		if key != kmsecret.MetadataPathKey(r) {
			return fault.New(fault.Exists, "key", "Conflict. Key in request body does not match key in request path.")
		}
		return nil
	}, func(m map[string]string) error {
		if _, ok := m[key]; !ok {
			return kmsecret.MetadatumNotFound()
		}
		m[key] = value
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return key, value, nil
}
