// Package listsecrets serves Gcore Cloud's "list secrets"
// (GET /cloud/v1/secrets/{project_id}/{region_id}?limit=&offset=): {"count": total,
// "results": [Secret…]} for one project and region, oldest first.
package listsecrets

import (
	"cmp"
	"context"
	"net/http"
	"slices"

	"keyport/shared/api/gcore"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the ServeMux pattern of this operation, shared by the local server and the Lambda.
const Pattern = "GET /cloud/v1/secrets/{project_id}/{region_id}"

// Deps is what the operation needs.
type Deps struct {
	Store gcore.Lister
	Creds *credentials.Book
}

// New returns the operation's handler. It routes Pattern itself (see gcore.Route), so it can be
// mounted under Pattern by a ServeMux or handed to the Lambda adapter as it is.
func New(d Deps) http.Handler {
	return gcore.Route(Pattern, &handler{d: d})
}

type handler struct{ d Deps }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, err := h.list(r)
	if err != nil {
		gcore.WriteError(w, r, err)
		return
	}
	gcore.WriteJSON(w, http.StatusOK, page)
}

func (h *handler) list(r *http.Request) (gcore.Page[gcore.SecretJSON], error) {
	var none gcore.Page[gcore.SecretJSON]
	scope, err := gcore.AuthorizedScope(r, h.d.Creds)
	if err != nil {
		return none, err
	}
	q, err := decode(r.URL.RawQuery)
	if err != nil {
		return none, err
	}
	secrets, err := h.all(r.Context(), scope)
	if err != nil {
		return none, err
	}
	return gcore.MapPage(gcore.NewPage(secrets, q.offset, q.limit), gcore.Secret.JSON), nil
}

// all reads every live secret of the scope's project and region, oldest first. Gcore documents
// no order; oldest first (ties broken by id) is chosen because it is stable under offset paging
// while secrets are being created: a new secret sorts after every existing one, so a client
// walking the pages sees each existing secret exactly once. Every page reads the whole region
// because count is the total; expired secrets are already absent from what the store returns.
func (h *handler) all(ctx context.Context, scope gcore.Scope) ([]gcore.Secret, error) {
	prefix := gcore.SecretRef(scope, "")
	secrets, err := gcore.ListDecoded(ctx, h.d.Store, store.Query{Service: prefix.Service, Tenant: prefix.Tenant, Kind: prefix.Kind, Prefix: prefix.ID},
		func(rec store.Record) (gcore.Secret, error) {
			return gcore.SecretFromRecord(rec.ID[len(prefix.ID):], rec)
		})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(secrets, func(a, b gcore.Secret) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return secrets, nil
}
