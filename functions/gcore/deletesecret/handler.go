// Package deletesecret serves Gcore Cloud's "delete secret"
// (DELETE /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}): it removes the secret and
// writes a finished delete_secret task in one transaction, then answers 200
// {"tasks":["<task id>"]} as Gcore does. Clients poll the task (package gettask) and then
// expect the secret's GET to answer 404, which it does from the moment this returns.
package deletesecret

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"keyport/shared/api/gcore"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/store"
	"keyport/shared/web"
)

// Pattern is the ServeMux pattern of this operation, shared by the local server and the Lambda.
const Pattern = "DELETE /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}"

// applier is the one store call a delete makes: an atomic transaction. No read comes first:
// the delete's own precondition (the secret is live) decides, so two concurrent deletes cannot
// both succeed.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps is what the operation needs. Now may be nil (time.Now).
type Deps struct {
	Store applier
	Creds *credentials.Book
	Now   func() time.Time
}

// New returns the operation's handler. It routes Pattern itself (see gcore.Route), so it can be
// mounted under Pattern by a ServeMux or handed to the Lambda adapter as it is.
func New(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	return gcore.Route(Pattern, &handler{d: d})
}

type handler struct{ d Deps }

// response is Gcore's answer to an asynchronous delete: at least one task, since GC-go's
// DeleteAndPoll and Terraform's provider both read tasks[0].
type response struct {
	Tasks []string `json:"tasks"`
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	taskID, err := h.delete(r)
	if err != nil {
		gcore.WriteError(w, r, err)
		return
	}
	audit.SetResource(r.Context(), r.PathValue("secret_id")) // the secret deleted; the task names it too
	gcore.WriteJSON(w, http.StatusOK, response{Tasks: []string{taskID}})
}

func (h *handler) delete(r *http.Request) (string, error) {
	scope, err := gcore.AuthorizedScope(r, h.d.Creds)
	if err != nil {
		return "", err
	}
	id, ok := gcore.CanonicalID(r.PathValue("secret_id"))
	if !ok {
		return "", gcore.SecretNotFound("")
	}
	taskID, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("deletesecret: task id: %v", err)
	}
	task := gcore.Task{
		ID:        taskID.String(),
		Type:      gcore.TaskTypeDeleteSecret,
		Scope:     scope,
		RequestID: web.RequestID(r.Context()),
		Created:   h.d.Now().UTC(),
		Deleted:   id,
	}
	tx := append(store.Tx{{Delete: &store.Delete{Ref: gcore.SecretRef(scope, id)}}}, task.Puts()...)
	if err := h.d.Store.Apply(r.Context(), tx); err != nil {
		return "", storeFault(id, err)
	}
	return task.ID, nil
}

// storeFault is this operation's one mapping of store errors. The only client outcome is the
// secret's absence (never there, expired, of another project or region, or deleted by a
// concurrent request): the delete refused as Missing. Anything else, including a conflict on a
// fresh task id, is the server's, flattened (%v) so a driver's fault kind cannot leak out as a
// client status.
func storeFault(id string, err error) error {
	if c := store.ConflictOf(err); c != nil && c.Action == 0 && c.Reason == store.Missing {
		return gcore.SecretNotFound(id)
	}
	return fmt.Errorf("deletesecret: store: %v", err)
}
