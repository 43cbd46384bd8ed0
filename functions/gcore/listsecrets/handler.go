// Package listsecrets serves Gcore Cloud's "list secrets"
// (GET /cloud/v1/secrets/{project_id}/{region_id}?limit=&offset=): {"count": total,
// "results": [Secret…]} for one project and region, oldest first.
package listsecrets

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/operation"
	"keyport/shared/policy"
	"keyport/shared/store"
)

// Row declares the operation.
var Row = operation.Row{
	Name:     "gcore.ListSecrets",
	Function: "gcore-listsecrets",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "GET /cloud/v1/secrets/{project_id}/{region_id}",
	Store:    store.NeedList,
	New:      newHandler,
	Example: &operation.Example{
		Path:  "/cloud/v1/secrets/1/76",
		Query: "limit=1000&offset=0",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"user-agent":    "Gcore/Go 0.1.0",
		},
	},
}

// newHandler lists every live secret of the path's project and region, oldest first. Gcore
// documents no order; oldest first (ties broken by id) is chosen because it is stable under
// offset paging while secrets are being created: a new secret sorts after every existing one,
// so a client walking the pages sees each existing secret exactly once. Every page reads the
// whole region because count is the total; expired secrets are already absent from what the
// store returns.
func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Scoped: true, Act: func(r gcore.Request) (gcore.Reply, error) {
		q, err := decode(r.URL.RawQuery)
		if err != nil {
			return gcore.Reply{}, err
		}
		secrets, err := gcore.ListDecoded(r.Context(), d.Store, gcoresecret.InRegion(r.Scope), gcoresecret.FromRecord)
		if err != nil {
			return gcore.Reply{}, err
		}
		secrets = slices.DeleteFunc(secrets, func(s gcoresecret.Secret) bool {
			return !policy.Visible(r.Context(), []*policy.Policy{r.Key.Policy}, strconv.FormatInt(r.Scope.Project, 10)+"/"+strconv.FormatInt(r.Scope.Region, 10)+"/"+s.ID)
		})
		slices.SortFunc(secrets, func(a, b gcoresecret.Secret) int {
			return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
		})
		return gcore.Reply{Body: gcore.MapPage(gcore.NewPage(secrets, q.offset, q.limit), gcoresecret.Secret.JSON)}, nil
	}})
}
