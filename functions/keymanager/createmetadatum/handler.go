// Package createmetadatum is Barbican's POST secrets/{id}/metadata (K5 layout:
// /v1/{tenant_id}/secrets/{id}/metadata), gophercloud's secrets.CreateMetadatum: it adds one
// key, answering 201 {"key", "value"} with its Location, or 409 if the secret has the key.
package createmetadatum

import (
	"net/http"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
)

// Pattern is the route of layout l, in net/http.ServeMux syntax.
func Pattern(l keymanager.Layout) string { return l.Pattern("POST", "/secrets/{secret_id}/metadata") }

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps = kmsecret.MetadataDeps

// New returns the handler, routed at Pattern(d.Layout) by itself (see keymanager.Route). It panics
// on a missing dependency: a wiring mistake, caught at start-up.
func New(d Deps) http.Handler {
	return keymanager.Route(keymanager.SecretMetadatum, Pattern(d.Layout), &handler{d: d.Checked("createmetadatum")})
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
		keymanager.SecretMetadatum.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", ref)
	keymanager.WriteJSON(w, r, http.StatusCreated, m)
}

func (h *handler) create(r *http.Request) (metadatum, string, error) {
	var key, value string
	rec, err := h.d.Change(r, func(body []byte) (err error) {
		key, value, err = kmsecret.DecodeMetadatum(body)
		return err
	}, func(m map[string]string) error {
		if _, ok := m[key]; ok {
			return fault.New(fault.Exists, "key", "Conflict. Key in request is already in the secret metadata")
		}
		if len(m) >= kmsecret.MaxMetadata {
			return fault.New(fault.LimitExceeded, "key", "too many keys")
		}
		m[key] = value
		return nil
	})
	if err != nil {
		return metadatum{}, "", err
	}
	return metadatum{key, value}, h.d.Layout.SecretRef(r, rec.Tenant, rec.ID) + "/metadata/" + key, nil
}
