// Package createsecret is K5 Key Manager's "create key metadata" (OpenStack Barbican's create
// secret), served so that Barbican clients such as gophercloud's keymanager/v1/secrets.Create
// and python-barbicanclient work against keyport unchanged, in either URL layout: K5's
// POST /v1/{tenant_id}/secrets with K5's rules, or upstream Barbican's POST /v1/secrets with
// upstream's.
//
// A request is authenticated (X-Auth-Token, scoped to one project), decoded within the layout's
// body limit, validated in Barbican's order with the layout's rules, and only then sealed and
// stored as one record that expires with the secret. Nothing is written for a refused request.
package createsecret

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// Pattern is the route New serves in K5's layout, in net/http.ServeMux syntax.
const Pattern = "POST /v1/{tenant_id}/secrets"

// UpstreamPattern is the route in upstream Barbican's layout; UpstreamSlash the same collection
// with the trailing slash python-barbicanclient posts to (Barbican's pecan routes both).
const (
	UpstreamPattern = "POST /v1/secrets"
	UpstreamSlash   = "POST /v1/secrets/{$}"
)

// Service names this API in record keys, seal scopes and the KMS encryption context.
const Service = kmsecret.Service

// MaxBody is K5's limit on the key metadata: a larger body is refused with 413.
const MaxBody = 10000

// Upstream Barbican's limits (max_allowed_request_size_in_bytes and
// max_allowed_secret_in_bytes): the request, and the payload's bytes within it.
const (
	UpstreamMaxBody   = 25000
	UpstreamMaxSecret = 20000
)

// applier is the one store call a create makes: an atomic transaction.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the handler needs. Now may be nil (time.Now). Layout is K5's (the zero value) or
// upstream Barbican's; it picks the path, the rules and the hrefs.
type Deps struct {
	Store  applier
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
	Layout keymanager.Layout
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
		keymanager.SecretCreation.WriteError(w, r, fault.New(fault.BadMethod, "", "The method is not allowed for the requested URL."))
		return
	}
	ref, err := h.create(r)
	if err != nil {
		keymanager.SecretCreation.WriteError(w, r, err)
		return
	}
	keymanager.SetRequestID(w.Header(), r)
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
	rules := rulesOf(h.d.Layout)
	body, err := web.ReadBody(r, rules.maxBody)
	if err != nil {
		return "", err
	}
	now := h.d.Now().UTC()
	req, err := decode(body, now, rules)
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
	return h.d.Layout.SecretRef(r, tenant, id.String()), nil
}

// authorize maps the token to its project, as every key manager operation does
// (keymanager.Layout.Project). This handler is not behind keymanager.Route (it also answers the
// upstream trailing-slash alias), so when the Lambda adapter hands the request over directly
// the K5 tenant is read from the path here first.
func (h *handler) authorize(r *http.Request) (tenant string, err error) {
	if !h.d.Layout.Upstream && r.PathValue("tenant_id") == "" {
		r.SetPathValue("tenant_id", tenantID(r))
	}
	return h.d.Layout.Project(r, h.d.Creds)
}

// store seals the payload (if any) to the record's ref and writes the record.
func (h *handler) store(ctx context.Context, tenant, id string, req *request, now time.Time) error {
	rec := req.record(tenant, id, now, h.d.Layout)
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
