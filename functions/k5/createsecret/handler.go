// Package createsecret is K5 Key Manager's "create key metadata" (OpenStack Barbican's create
// secret, K5 layout POST /v1/{tenant_id}/secrets), served so that Barbican clients such as
// gophercloud's keymanager/v1/secrets.Create work against keyport unchanged.
//
// A request is authenticated (X-Auth-Token, scoped to one tenant), decoded within K5's 10000-byte
// limit, validated in Barbican's order with K5's extra rules, and only then sealed and stored as
// one record that expires with the secret. Nothing is written for a refused request.
package createsecret

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"keyport/shared/api/barbican"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// Pattern is the route New serves, in net/http.ServeMux syntax.
const Pattern = "POST /v1/{tenant_id}/secrets"

// Service names this API in record keys, seal scopes and the KMS encryption context.
const Service = "k5-keymanager"

// MaxBody is K5's limit on the key metadata: a larger body is refused with 413.
const MaxBody = 10000

// applier is the one store call a create makes: an atomic transaction.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the handler needs. Now may be nil (time.Now).
type Deps struct {
	Store  applier
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
}

type handler struct{ d Deps }

// New returns the create-secret handler. It panics if Store, Sealer or Creds is nil: that is a
// wiring mistake in main, better caught at start-up than on the first request.
func New(d Deps) http.Handler {
	if d.Store == nil || d.Sealer == nil || d.Creds == nil {
		panic("createsecret: Deps needs Store, Sealer and Creds")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &handler{d: d}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		// Barbican (pecan) answers 405 for a method the secrets collection does not route.
		w.Header().Set("Allow", http.MethodPost)
		barbican.SecretCreation.WriteError(w, r, fault.New(fault.BadMethod, "", "The method is not allowed for the requested URL."))
		return
	}
	ref, err := h.create(r)
	if err != nil {
		barbican.SecretCreation.WriteError(w, r, err)
		return
	}
	barbican.SetRequestID(w.Header(), r)
	writeCreated(w, ref)
}

// create runs the checks in K5's order (401, 403, 415, 413, 400) and stores the secret.
func (h *handler) create(r *http.Request) (ref string, err error) {
	tenant, err := h.authorize(r)
	if err != nil {
		return "", err
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		return "", fault.New(fault.UnsupportedType, "Content-Type", "must be application/json")
	}
	body, err := web.ReadBody(r, MaxBody)
	if err != nil {
		return "", err
	}
	now := h.d.Now().UTC()
	req, err := decode(body, now)
	if err != nil {
		return "", err
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return "", fmt.Errorf("createsecret: resource id: %w", err)
	}
	if err := h.store(r.Context(), tenant, id.String(), req, now); err != nil {
		return "", err
	}
	audit.SetResource(r.Context(), id.String())
	return secretRef(r, tenant, id.String()), nil
}

// authorize maps the token to its tenant and checks it is the tenant in the path. Absent and
// unknown tokens get the same answer.
func (h *handler) authorize(r *http.Request) (tenant string, err error) {
	tok, ok := barbican.Authenticate(r, h.d.Creds)
	if !ok {
		return "", fault.New(fault.Unauthenticated, "X-Auth-Token", "missing or unknown token")
	}
	if tenant = tenantID(r); tenant != tok.Tenant {
		return "", fault.New(fault.Forbidden, "tenant_id", "the token is not scoped to this tenant")
	}
	return tenant, nil
}

// store seals the payload (if any) to the record's ref and writes the record.
func (h *handler) store(ctx context.Context, tenant, id string, req *request, now time.Time) error {
	rec := req.record(tenant, id, now)
	if req.plaintext != nil {
		blob, err := h.d.Sealer.Seal(ctx, seal.Scope{Service: Service, Tenant: tenant}, rec.Ref.AAD(), req.plaintext)
		clear(req.plaintext)
		if err != nil {
			// %v, not %w: a KMS refusal is the server's problem, never a client fault kind.
			return fmt.Errorf("createsecret: seal: %v", err)
		}
		rec.Sealed = blob
	}
	return storeFault(h.d.Store.Apply(ctx, store.Tx{{Put: &store.Put{Record: rec}}}))
}

// storeFault is this operation's one mapping of store errors: none is the client's. The
// secret's id is a fresh UUID, so a conflict is a server fault like any other (%v, so no
// driver error can surface as a client status).
func storeFault(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("createsecret: store: %v", err)
}

// isJSON reports whether the media type is application/json. Parameters (charset) are
// ignored, as webob's content_type ignores them for Barbican.
func isJSON(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mediaType), "application/json")
}
