// Package createsecret is Alibaba Cloud APIG's CreateSecret (POST /v1/secrets, version
// 2024-03-27) for keyport: it authenticates an ACS3-HMAC-SHA256 request, validates the
// secret, seals secretData under the caller's account and stores it with one atomic write,
// answering in APIG's JSON envelope so the official SDK (apig-20240327/v6) works unchanged.
package createsecret

import (
	"context"
	"net/http"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// maxBody is keyport's request body limit for APIG (1 MB; none is documented). The largest valid
// body (64 KiB of secretData plus small fields) is far below it.
const maxBody = 1 << 20

// applier is the store call CreateSecret makes: one atomic transaction per create.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

// sealer envelope-encrypts secretData: one data-key request per create.
type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps are the handler's collaborators. Store, Sealer and Creds are required; Now defaults to
// time.Now.
type Deps struct {
	Store  applier
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

type handler struct {
	d      Deps
	verify *alibaba.Verifier
}

// New returns the CreateSecret handler. It answers every request it is given (routing to
// POST /v1/secrets is the mount's job); any other method gets an Alibaba error, not a 405 page.
// Each handler has its own in-memory nonce cache; handlers sharing a store also share the
// store's nonce claims. New panics on missing dependencies: that is a wiring bug, found at start.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Sealer == nil || d.Creds == nil {
		panic("createsecret: Deps needs Store, Sealer and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &handler{d: d, verify: alibaba.NewVerifier(d.Creds, d.Now)}
}

// ServeHTTP runs the steps in order: method, bounded body, authentication, decode and
// validation, then (only for a valid request) seal and store. Every error is rendered here in
// APIG's envelope; nothing is written unless every check passed.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		alibaba.WriteError(w, r, fault.New(fault.BadMethod, "", "CreateSecret accepts only POST"))
		return
	}
	id, err := h.create(r)
	if err != nil {
		alibaba.WriteError(w, r, err)
		return
	}
	audit.SetResource(r.Context(), id)
	alibaba.WriteOK(w, r, map[string]string{"secretId": id})
}

func (h *handler) create(r *http.Request) (string, error) {
	body, err := web.ReadBody(r, maxBody)
	if err != nil {
		return "", err
	}
	caller, err := h.verify.Verify(r, body)
	if err != nil {
		return "", err
	}
	req, err := decode(r.Header.Get("Content-Type"), body)
	if err != nil {
		return "", err
	}
	return h.store(r.Context(), caller, req)
}
