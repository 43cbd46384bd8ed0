// Package deletesecret serves Gcore Cloud's "delete secret"
// (DELETE /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}): it removes the secret and
// writes a finished delete_secret task in one transaction, then answers 200
// {"tasks":["<task id>"]} as Gcore does. Clients poll the task (package gettask) and then
// expect the secret's GET to answer 404, which it does from the moment this returns.
package deletesecret

import (
	"fmt"
	"net/http"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// Row declares the operation. The delete writes its task (both copies) with plain puts of fresh
// ids, and removes the secret; it never reads it or decrypts anything. No read comes first: the
// delete's own precondition (the secret is live) decides, so two concurrent deletes cannot both
// succeed.
var Row = operation.Row{
	Name:     "gcore.DeleteSecret",
	Function: "gcore-deletesecret",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "DELETE /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}",
	Store:    store.NeedDelete | store.NeedPut,
	New:      newHandler,
	Example: &operation.Example{
		Path: "/cloud/v1/secrets/1/76/3e6a1f0b-5a44-4d2b-9d0c-8f1e2d3c4b5a",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"user-agent":    "Gcore/Go 0.1.0",
		},
	},
}

// response is Gcore's answer to an asynchronous delete: at least one task, since GC-go's
// DeleteAndPoll and Terraform's provider both read tasks[0].
type response struct {
	Tasks []string `json:"tasks"`
}

func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Scoped: true, Act: func(r gcore.Request) (gcore.Reply, error) {
		id, err := gcoresecret.ParseID(r.PathValue("secret_id"))
		if err != nil {
			return gcore.Reply{}, err
		}
		task, err := gcoretask.New(r.Context(), gcoretask.TypeDeleteSecret, r.Scope, d.Now().UTC())
		if err != nil {
			return gcore.Reply{}, err
		}
		task.Deleted = id
		tx := append(store.Tx{{Delete: &store.Delete{Ref: gcoresecret.Ref(r.Scope, id)}}}, task.Puts()...)
		if err := d.Store.Apply(r.Context(), tx); err != nil {
			return gcore.Reply{}, storeFault(id, err)
		}
		// The audit event names the secret deleted, as the path spells it; the task names it too.
		return gcore.Reply{Body: response{Tasks: []string{task.ID}}, Resource: r.PathValue("secret_id")}, nil
	}})
}

// storeFault is this operation's one mapping of store errors. The only client outcome is the
// secret's absence (never there, expired, of another project or region, or deleted by a
// concurrent request): the delete refused as Missing. Anything else, including a conflict on a
// fresh task id, is the server's: the restricted store has kinded it already, and no kind but
// a fault renders as a client status.
func storeFault(id string, err error) error {
	if c := store.ConflictOf(err); c != nil && c.Action == 0 && c.Reason == store.Missing {
		return gcoresecret.NotFound(id)
	}
	return fmt.Errorf("deletesecret: %w", err)
}
