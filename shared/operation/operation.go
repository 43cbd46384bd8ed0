// Package operation is the shape of one keyport operation, declared as data: a Row that the
// operation's own package exports and that everything wiring operations reads (the local server,
// the Lambda bootstrap, the CDK stack, the event writer and the tests). A Row says where the
// operation is reached (dialect, route or Tencent action), what it may do (store calls, KMS
// calls) and how its handler is built; Build hands the handler only what the row declares.
package operation

import (
	"fmt"
	"net/http"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/credentials"
	"keyport/shared/policy"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// Dialect is a vendor wire: how requests are signed and routed and how errors are rendered.
type Dialect string

// The dialects keyport speaks.
const (
	Alibaba Dialect = "alibaba"
	Tencent Dialect = "tencent"
	Gcore   Dialect = "gcore"
	K5      Dialect = "k5"
	// Barbican is upstream OpenStack Barbican's layout (/v1/secrets, the project from the token)
	// of the key manager API; its clients (python-barbicanclient, openstack secret …) speak it.
	Barbican Dialect = "barbican"
	// Identity is OpenStack Identity (Keystone v3) and the version documents OpenStack clients
	// discover the key manager through; its errors are Keystone's.
	Identity Dialect = "identity"
)

// Deps are the collaborators every handler is built from. Row.Restrict hands a handler a Store
// and a Sealer restricted to what its row declares, and a Now that is never nil.
type Deps struct {
	Store    store.Store
	Sealer   *seal.Sealer
	Creds    *credentials.Book
	Now      func() time.Time
	KeyLimit int64 // Tencent API keys per account; 0 means the operation's default
}

// Row declares one operation.
type Row struct {
	// Name is the operation as logs and audit events name it, "<dialect>.<Operation>".
	Name string
	// Function is the Lambda that serves it; also the name of its event under events/. The
	// actions of one Tencent service share one function, because an HTTP API cannot route on
	// the X-TC-Action header; every other operation has a function of its own.
	Function string
	// API is the HTTP API (one host per vendor service) whose route reaches the function.
	API     string
	Dialect Dialect
	// Service is the store and seal service: the Ref service of its records and the KMS
	// encryption context value its role is confined to.
	Service string
	// Route is the method and path in net/http.ServeMux syntax; for Tencent, "POST /".
	Route string
	// Alias is a second route to the same handler, or "".
	Alias string
	// Action is the Tencent X-TC-Action the operation answers; "" for other dialects.
	Action string
	// Store is every store call the operation makes.
	Store store.Need
	// Seals and Opens say whether the operation encrypts (kms:GenerateDataKey) or decrypts
	// (kms:Decrypt) secret values.
	Seals, Opens bool
	// Quota marks an operation that counts against the Tencent API key limit (Deps.KeyLimit).
	Quota bool
	// New builds the handler (dialects other than Tencent); NewAction the Tencent action. The
	// handler is served at Route by the function's mux (see functions.Function.Handler), so it
	// may rely on r.PathValue.
	New       func(Deps) http.Handler
	NewAction func(Deps) tencent.Action
	// Example is a request the operation accepts, from which `make events` writes the event
	// of its function (the first row of a function that has one).
	Example *Example
}

// Example is a request as a client sends it, before API Gateway adds its own headers.
type Example struct {
	Path   string            // the raw path: Route's wildcards filled in
	Query  string            // the raw query string, without "?"
	Header map[string]string // the client's headers, lower-case names; content-length is computed
	Body   string
}

// KMS reports whether the operation calls KMS at all.
func (r Row) KMS() bool { return r.Seals || r.Opens }

// Restrict returns d as the row's handler may see it: the store limited to the row's store
// calls, the sealer to its KMS calls (refusing every one when the row declares none, as a
// Lambda without a KMS grant has no key), and Now defaulted to time.Now. It panics on a dependency the row needs but d lacks:
// a wiring mistake, caught when the server or the Lambda starts.
func (r Row) Restrict(d Deps) Deps {
	if d.Store == nil || d.Creds == nil || (r.KMS() && d.Sealer == nil) {
		panic(fmt.Sprintf("operation %s: Deps needs Store, Creds and (when it seals or opens) Sealer", r.Name))
	}
	d.Store = store.Restrict(d.Store, r.Store)
	if d.Sealer == nil {
		d.Sealer = seal.New(nil) // a function without a KMS key: every call is refused below
	}
	d.Sealer = d.Sealer.Restrict(r.Seals, r.Opens)
	if d.Now == nil {
		d.Now = time.Now
	}
	return d
}

// Handler builds the row's handler on d, restricted (see Restrict), answering a panic in its
// dialect's envelope (web.Recover). The request's context names its policy action
// (policy.WithAction), which the dialect's skeleton asks the caller's policy about. It panics for a Tencent row, whose actions are served by
// their service's router (see TencentRouter).
func (r Row) Handler(d Deps) http.Handler {
	if r.New == nil {
		panic("operation " + r.Name + ": no New (a Tencent action is built with TencentAction)")
	}
	h := r.New(r.Restrict(d))
	action := policy.ActionName(r.Name)
	named := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, req.WithContext(policy.WithAction(req.Context(), action)))
	})
	return web.Recover(fallbacks[r.Dialect].write, named)
}

// TencentAction builds the row's Tencent action on d, restricted (see Restrict).
func (r Row) TencentAction(d Deps) tencent.Action {
	if r.NewAction == nil {
		panic("operation " + r.Name + ": no NewAction")
	}
	return r.NewAction(r.Restrict(d))
}
