// Package createsecret serves Gcore Cloud's "create secret"
// (POST /cloud/v1/secrets/{project_id}/{region_id}): it authenticates the API token, validates
// the body, seals the payload and stores the secret together with a finished task, then
// answers {"tasks":["<task id>"]} as Gcore does. Clients poll the task (package gettask) to
// learn the secret's id.
package createsecret

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"keyport/shared/api/gcore"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/store"
	"keyport/shared/web"
)

// Pattern is the ServeMux pattern of this operation, shared by the local server and the Lambda.
const Pattern = "POST /cloud/v1/secrets/{project_id}/{region_id}"

// bodyLimit is keyport's request body limit for Gcore (1 MB; none is documented).
const bodyLimit = 1 << 20

// applier is the one store call a create makes: an atomic transaction.
type applier interface {
	Apply(ctx context.Context, tx store.Tx) error
}

type sealer interface {
	Seal(ctx context.Context, scope seal.Scope, aad, plaintext []byte) ([]byte, error)
}

// Deps is what the operation needs. Now may be nil (time.Now).
type Deps struct {
	Store  applier
	Sealer sealer
	Creds  *credentials.Book
	Now    func() time.Time
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

// response is Gcore's answer to an asynchronous create.
type response struct {
	Tasks []string `json:"tasks"`
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	taskID, err := h.create(r)
	if err != nil {
		gcore.WriteError(w, r, err)
		return
	}
	audit.SetResource(r.Context(), taskID) // the id the client is given; the task names the secret
	gcore.WriteJSON(w, http.StatusOK, response{Tasks: []string{taskID}})
}

// create runs the checks cheapest and least revealing first: who is calling, which project,
// whether they may reach it, and only then the body.
func (h *handler) create(r *http.Request) (string, error) {
	scope, err := gcore.AuthorizedScope(r, h.d.Creds)
	if err != nil {
		return "", err
	}
	if err := gcore.RequireJSON(r); err != nil {
		return "", err
	}
	body, err := web.ReadBody(r, bodyLimit)
	if err != nil {
		return "", err
	}
	now := h.d.Now().UTC()
	req, err := decode(body, now)
	if err != nil {
		return "", err
	}
	defer clear(req.plaintext)
	return h.store(r.Context(), scope, req, now)
}

// store seals the payload and writes the secret and its finished task (both copies, see
// gcore.Task.Records) in one transaction.
// Every failure here is the server's: the ids are fresh, so nothing the client sent can
// conflict, and any conflict is internal (storeFault). Errors are flattened (%v) so a driver's
// fault kind cannot leak out as a client status.
//
// Ids are UUIDv7: time-ordered, so the records of concurrent creates land on the same few store
// pages instead of random ones (in bbolt, half the CPU and I/O per create under load), with 74
// random bits from crypto/rand. Gcore's clients treat ids as opaque UUID strings; the time they
// reveal is the secret's own `created`.
func (h *handler) store(ctx context.Context, s gcore.Scope, req request, now time.Time) (string, error) {
	secretID, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("createsecret: secret id: %v", err)
	}
	taskID, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("createsecret: task id: %v", err)
	}
	secret := secretRecord(s, secretID.String(), req, now)
	secret.Sealed, err = h.d.Sealer.Seal(ctx, seal.Scope{Service: gcore.Service, Tenant: s.Tenant()},
		secret.Ref.AAD(), req.plaintext)
	if err != nil {
		return "", fmt.Errorf("createsecret: seal: %v", err)
	}
	task := gcore.Task{
		ID:        taskID.String(),
		Type:      gcore.TaskTypeCreateSecret,
		Scope:     s,
		RequestID: web.RequestID(ctx),
		Created:   now,
		Secrets:   []string{secretID.String()},
	}
	tx := append(store.Tx{{Put: &store.Put{Record: secret}}}, task.Puts()...)
	if err := h.d.Store.Apply(ctx, tx); err != nil {
		return "", storeFault(err)
	}
	return task.ID, nil
}

// storeFault is this operation's one mapping of store errors: none is the client's. A conflict
// would mean a fresh UUID collided, which is a server fault like any other.
func storeFault(err error) error {
	return fmt.Errorf("createsecret: store: %v", err)
}
