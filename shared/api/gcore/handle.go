package gcore

import (
	"net/http"
	"strconv"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/policy"
	"keyport/shared/web"
)

// MaxBody is keyport's request body limit for Gcore (1 MB; Gcore documents none).
const MaxBody = 1 << 20

// Op is one Gcore operation as Handle runs it: which checks its request needs, and its action.
type Op struct {
	// Scoped says the route names {project_id} and {region_id}: the caller must reach that
	// project and region (Authorize) before anything else of the request is read. The task
	// calls name no project; they get the caller's key and filter what they read by it.
	Scoped bool
	// JSON says the operation takes a JSON body: its Content-Type is checked (RequireJSON) and
	// it is read up to MaxBody, after the caller is authorized.
	JSON bool
	// Act does the operation's work on a request that passed every check above. Its error is
	// rendered by WriteError, a fault as the client's and anything else as a 500.
	Act func(r Request) (Reply, error)
}

// Request is a request that passed the skeleton's checks, as an operation's Act sees it. The
// embedded *http.Request gives its context, path values and raw query.
type Request struct {
	*http.Request
	Key   credentials.GcoreKey // the caller's grant
	Scope Scope                // the project and region of the path (Op.Scoped); zero otherwise
	Body  []byte               // the JSON body, up to MaxBody (Op.JSON); nil otherwise
}

// Reply is an operation's success, rendered as its JSON body with status 200: every Gcore
// operation keyport serves answers 200, the asynchronous ones with their task ids.
type Reply struct {
	Body any
	// Resource is the id the audit event names (the secret or task the operation touched); ""
	// names none.
	Resource string
	// Account is the audit account when the path names no project (a task's own project); a
	// scoped operation's account is already the project of its path (see PathScope).
	Account string
}

// Handle returns the handler of one Gcore operation, served at its row's route by
// operation.Mux. It runs the checks that keep tenants apart in one order for every operation,
// cheapest and least revealing first: who is calling (Authenticate), which project and region
// the path names (PathScope) and whether the caller reaches them (Authorize), then the body's
// Content-Type and size, and only then op.Act. Between the project's reach and the body, the
// key's policy is asked about the operation on the resource the path names (resource): nothing
// has been read yet, so a denied caller learns nothing of what exists. Every outcome is rendered here, in Gcore's
// envelope.
func Handle(creds *credentials.Book, op Op) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply, err := op.run(creds, r)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if reply.Account != "" {
			audit.SetAccount(r.Context(), reply.Account)
		}
		if reply.Resource != "" {
			audit.SetResource(r.Context(), reply.Resource)
		}
		WriteJSON(w, http.StatusOK, reply.Body)
	})
}

func (op Op) run(creds *credentials.Book, r *http.Request) (Reply, error) {
	key, err := Authenticate(r, creds)
	if err != nil {
		return Reply{}, err
	}
	req := Request{Request: r, Key: key}
	if op.Scoped {
		if req.Scope, err = PathScope(r); err != nil {
			return Reply{}, err
		}
		if err := Authorize(key, req.Scope); err != nil {
			return Reply{}, err
		}
	}
	if err := policy.Authorize(r.Context(), resource(r, req.Scope, op.Scoped), key.Policy); err != nil {
		return Reply{}, err
	}
	if op.JSON {
		if err := RequireJSON(r); err != nil {
			return Reply{}, err
		}
		if req.Body, err = web.ReadBody(r, MaxBody); err != nil {
			return Reply{}, err
		}
	}
	return op.Act(req)
}

// resource is what a credential's policy is asked about (docs/policies.md), from the path
// alone: "<project>/<region>/<secret id>" for a scoped operation ("<project>/<region>/*" for a
// create or a list, which name no secret), the task id for a task read, policy.Any for the task
// list. A list's items are then filtered by the policy (policy.Visible).
func resource(r *http.Request, s Scope, scoped bool) string {
	if scoped {
		secret := r.PathValue("secret_id")
		if secret == "" {
			secret = policy.Any
		}
		return strconv.FormatInt(s.Project, 10) + "/" + strconv.FormatInt(s.Region, 10) + "/" + secret
	}
	if task := r.PathValue("task_id"); task != "" {
		return task
	}
	return policy.Any
}
