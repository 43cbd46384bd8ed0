// Package keymanager is the wire of the OpenStack key manager (Fujitsu K5 Key Manager, which is
// OpenStack Barbican's API) in its two URL layouts: Keystone token authentication, the layouts
// (K5's /v1/{tenant_id}/secrets and upstream Barbican's /v1/secrets), Barbican's error envelope,
// and Handle, the one request skeleton every key manager operation runs in, so Barbican clients
// such as gophercloud and python-barbicanclient see the statuses and bodies they expect.
//
// The secret as keyport stores it (records, payloads, metadata) is the model, package kmsecret
// below this one; operations (functions/keymanager/…) import both.
package keymanager

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/policy"
	"keyport/shared/store"
	"keyport/shared/web"
)

// Op is one key manager operation as Handle runs it: what Barbican calls it, what it reads, and
// its own work.
type Op struct {
	// Names are Barbican's words for the operation in its error messages.
	Names Names
	// Secret says the route names a {secret_id}: Handle looks it up in the caller's project
	// before reading any body, and answers 404 for anything but a live secret of that project
	// (or, for a read a secret's ACL opens to the users it lists, one shared with the caller:
	// docs/wire/keymanager.md, "Reads from another project").
	Secret bool
	// Body is the request body the operation reads, if any.
	Body Body
	// Do is the operation's work on a request Handle has authenticated and scoped. Its error is
	// rendered in Barbican's envelope under Names; a store error may be returned as it is.
	Do func(q *Request) (Answer, error)
}

// Body is what an operation reads from the request body.
type Body uint8

// The bodies an operation reads.
const (
	NoBody Body = iota
	// JSONBody is a JSON document, Content-Type application/json.
	JSONBody
	// PayloadBody is a secret's payload as is, Content-Type application/octet-stream or
	// text/plain (Barbican's PUT secrets/{id}).
	PayloadBody
)

// mediaTypes are the Content-Types b accepts.
func (b Body) mediaTypes() []string {
	if b == PayloadBody {
		return []string{kmsecret.OctetStream, kmsecret.TextPlain}
	}
	return []string{"application/json"}
}

// Request is a request Handle has authenticated and scoped, as an operation sees it.
type Request struct {
	*http.Request
	Layout Layout
	// Project is the Keystone project the token is scoped to (in K5's layout, the path's tenant).
	Project string
	// User is the Keystone user id of a Keystone token ("" for a static K5 token): a secret's
	// creator_id.
	User string
	// Base is the href every ref of Project starts with: <scheme>://<host>/v1, and /<tenant> in
	// K5's layout, built from the request as Barbican builds it without a configured host_href.
	Base string
	// Secret is the secret the path names, and Ref its href, when Op.Secret is set. For a read
	// a secret's ACL opens, the secret may be another project's (Secret.Tenant), read through
	// its ACL; Ref is then under that project's base.
	Secret store.Record
	Ref    string
	// Media is the body's media type (lower case, without parameters) and Data the body, at most
	// Layout.MaxRequest bytes, when Op.Body is set.
	Media string
	Data  []byte

	// policies are the caller's: its credential's and its roles' (roles.go), which Visible
	// and Reach ask.
	policies []*policy.Policy
}

// Visible reports whether a list shows the secret rec to the caller: the decision Handle makes
// (policy.AuthorizeOn), asked about the list's action on rec's id with rec as the target
// (docs/policies.md, "Lists").
func (q *Request) Visible(rec store.Record) bool {
	return policy.VisibleOn(q.Context(), found(rec, q.Project, q.User), q.policies, rec.ID)
}

// ShowsAll reports whether the credential's policies and roles certainly let a list show every
// secret (policy.ShowsAll), so a list need not ask Visible item by item.
func (q *Request) ShowsAll() bool { return policy.ShowsAll(q.Context(), q.policies, "") }

// Reach asks Handle's decision again about rec, a newer copy of the secret the request names
// (an operation that reads its secret again after a conflict): its ACL may have changed. A
// refusal is Handle's, with its denied audit event.
func (q *Request) Reach(rec store.Record) error {
	return policy.AuthorizeOn(q.Context(), rec.ID, found(rec, q.Project, q.User), q.policies...)
}

// Answer is an operation's success, which Handle sends with the request id.
type Answer struct {
	Status int // 0 means 200
	// JSON is the body, rendered as JSON under ContentType (application/json when ""); nil
	// sends no body (Barbican's 204s).
	JSON        any
	ContentType string
	Location    string // the Location header, when not ""
	// PayloadType, when not "", sends Payload (a decrypted secret) as is under that
	// Content-Type, never to be cached, instead of a JSON body; Handle clears Payload once sent.
	PayloadType string
	Payload     []byte
}

// Getter is the store call Handle makes to find the secret an operation names.
type Getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Handle returns the handler of op in layout l. Every request runs the same steps, in
// Barbican's order, so a request that fails several ways gets Barbican's first refusal:
// authenticate the X-Auth-Token (401) and resolve its project in the layout (403); decide, once,
// whether the caller may do the operation on the secret id the path names (policy.Any for a
// create or a list): its credential's policies and, for a Keystone token, its roles' built-in
// policy with the secret's ACL (roles.go), all in one policy.AuthorizeOn call (403 and a denied
// audit event, docs/policies.md). The decision looks the secret up only when a role or ACL
// rule needs it, after every statement that needs no secret has allowed: a secret that is not
// there is then the 404 Barbican gives before its own policy check. When op.Secret, the secret
// the path names is found in that project (404) if the decision did not find it already;
// then the body's Content-Type is checked (415) and the body read within the layout's limit
// (413), when op.Body is set; then op.Do, whose answer, or error in Barbican's envelope, is
// rendered here. The handler is served at the row's route (operation.Mux), so path values
// are set.
func Handle(l Layout, creds *credentials.Book, secrets Getter, op Op) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := run(l, creds, secrets, op, r)
		if err != nil {
			op.Names.WriteError(w, r, err)
			return
		}
		a.write(w, r)
	})
}

func run(l Layout, creds *credentials.Book, secrets Getter, op Op, r *http.Request) (Answer, error) {
	shared := op.Secret && openedByACL(policy.ActionOf(r.Context()))
	c, tenant, err := l.project(r, creds, shared)
	if err != nil {
		return Answer{}, err
	}
	resource, target := policy.Any, policy.Target(nil)
	var secret *secretTarget
	if op.Secret {
		resource = r.PathValue("secret_id")
		secret = &secretTarget{project: c.Project, user: c.User, find: func() (store.Record, error) {
			return find(r, secrets, c, tenant, shared)
		}}
		target = secret
		if kmsecret.ValidID(resource) {
			audit.SetResource(r.Context(), resource) // the secret asked about, even when not there
		}
	}
	if err := policy.AuthorizeOn(r.Context(), resource, target, c.Policies...); err != nil {
		return Answer{}, err
	}
	q := &Request{Request: r, Layout: l, Project: c.Project, User: c.User, Base: l.base(r, c.Project), policies: c.Policies}
	if op.Secret {
		if q.Secret, err = secret.record(); err != nil {
			return Answer{}, err
		}
		q.Ref = l.base(r, q.Secret.Tenant) + "/secrets/" + q.Secret.ID
	}
	if op.Body != NoBody {
		if q.Media, q.Data, err = readBody(r, l, op.Body); err != nil {
			return Answer{}, err
		}
	}
	return op.Do(q)
}

// find returns the secret the path names where c may look for it: in c's project; and, for a
// read a secret's ACL opens (shared) by a Keystone user, in another project when its read ACL
// lists the user, found by its locator, or in K5's layout in the tenant the path names. Any
// other secret of another project answers exactly as an unknown id does in that request (404,
// or K5's 403 for a path naming another tenant), so it is not disclosed
// (docs/wire/keymanager.md, "Reads from another project"). Whether c may do the request on
// what it finds is the decision's (roles.go).
func find(r *http.Request, secrets Getter, c caller, tenant string, shared bool) (store.Record, error) {
	ctx, id := r.Context(), r.PathValue("secret_id")
	if tenant != c.Project { // only a Keystone user's ACL read in K5's layout gets here
		rec, err := kmsecret.SharedIn(ctx, secrets, tenant, id, c.User)
		if fault.KindOf(err) == fault.NotFound {
			return store.Record{}, errNotScoped("tenant_id")
		}
		return rec, err
	}
	rec, err := kmsecret.Lookup(ctx, secrets, c.Project, id)
	if shared && c.User != "" && kmsecret.ValidID(id) && fault.KindOf(err) == fault.NotFound {
		return kmsecret.Shared(ctx, secrets, id, c.User)
	}
	return rec, err
}

// readBody checks r's Content-Type against b (parameters such as charset are ignored, as
// webob's content_type ignores them for Barbican) and reads the body within l's limit.
func readBody(r *http.Request, l Layout, b Body) (media string, body []byte, err error) {
	media = kmsecret.MediaType(r.Header.Get("Content-Type"))
	if accepted := b.mediaTypes(); !slices.Contains(accepted, media) {
		return "", nil, fault.New(fault.UnsupportedType, "Content-Type", "must be "+strings.Join(accepted, " or "))
	}
	body, err = web.ReadBody(r, l.MaxRequest())
	return media, body, err
}

// write sends a, with the request id as Barbican's answers carry it.
func (a Answer) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	SetRequestID(h, r)
	if a.Location != "" {
		h.Set("Location", a.Location)
	}
	status := cmp.Or(a.Status, http.StatusOK)
	switch {
	case a.PayloadType != "":
		h.Set("Content-Type", a.PayloadType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_, _ = w.Write(a.Payload)
		clear(a.Payload)
	case a.JSON != nil:
		writeJSON(w, status, cmp.Or(a.ContentType, "application/json"), a.JSON)
	default:
		w.WriteHeader(status)
	}
}
