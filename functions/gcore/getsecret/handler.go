// Package getsecret serves Gcore Cloud's "get secret"
// (GET /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}): the secret's metadata as
// Gcore's Secret object, never its payload (no Gcore endpoint returns one). Clients call it
// right after the create's task finishes, and after a delete's task to check the secret is gone.
package getsecret

import (
	"context"
	"errors"
	"net/http"

	"keyport/shared/api/gcore"
	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the ServeMux pattern of this operation, shared by the local server and the Lambda.
const Pattern = "GET /cloud/v1/secrets/{project_id}/{region_id}/{secret_id}"

// getter is the one store call a secret read makes.
type getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Deps is what the operation needs.
type Deps struct {
	Store getter
	Creds *credentials.Book
}

// New returns the operation's handler. It routes Pattern itself (see gcore.Route), so it can be
// mounted under Pattern by a ServeMux or handed to the Lambda adapter as it is.
func New(d Deps) http.Handler {
	return gcore.Route(Pattern, &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, err := h.get(r)
	if err != nil {
		gcore.WriteError(w, r, err)
		return
	}
	audit.SetResource(r.Context(), s.ID)
	gcore.WriteJSON(w, http.StatusOK, s.JSON())
}

// get checks who is calling and which project and region they may reach before it reads. The
// secret's key holds its project and region, so another project's or region's secret is
// simply absent: the answer is the one an unknown id gets.
func (h *handler) get(r *http.Request) (gcore.Secret, error) {
	scope, err := gcore.AuthorizedScope(r, h.d.Creds)
	if err != nil {
		return gcore.Secret{}, err
	}
	id, ok := gcore.CanonicalID(r.PathValue("secret_id"))
	if !ok {
		return gcore.Secret{}, gcore.SecretNotFound("")
	}
	rec, err := h.d.Store.Get(r.Context(), gcore.SecretRef(scope, id))
	if errors.Is(err, store.ErrNotFound) {
		return gcore.Secret{}, gcore.SecretNotFound(id)
	}
	if err != nil {
		// Flattened so no driver error other than ErrNotFound can become a client status.
		return gcore.Secret{}, errors.New("getsecret: store: " + err.Error())
	}
	return gcore.SecretFromRecord(id, rec)
}
