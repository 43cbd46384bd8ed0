// Package listsecretreferences is Alibaba Cloud APIG's ListSecretReferences
// (GET /v1/secrets/{secretId}/references) for keyport. keyport has no gateways, services,
// plugins, consumers or MCP servers that could reference a secret, so a secret of the caller's
// has no references: the answer is an empty page in APIG's paging envelope, with the paging
// parameters checked and echoed as ListSecrets does. An unknown secret is 404, as in GetSecret.
package listsecretreferences

import (
	"context"
	"net/http"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
	"keyport/shared/store"
)

// Pattern is the operation's route, shared by the local server and the Lambda.
const Pattern = "GET /v1/secrets/{secretId}/references"

// reader is what ListSecretReferences does with the store: one read, and the nonce write.
type reader interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// Deps are the operation's collaborators; Now defaults to time.Now.
type Deps struct {
	Store reader
	Creds *credentials.Book
	Now   func() time.Time
}

// reference is an item of the page. There are never any; the type gives the page its shape.
type reference struct {
	ResourceType string `json:"resourceType"`
}

// New returns the ListSecretReferences handler (it routes Pattern itself).
func New(d Deps) http.Handler {
	if d.Store == nil || d.Creds == nil {
		panic("listsecretreferences: Deps needs Store and Creds")
	}
	return alibaba.Handle(Pattern, d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		p, err := alibaba.ParsePaging(r.URL.Query())
		if err != nil {
			return nil, err
		}
		if _, err := apigsecret.GetSpent(r.Context(), d.Store, c, r.PathValue("secretId")); err != nil {
			return nil, err
		}
		return alibaba.NewPage[reference](p, 0, nil), nil
	})
}
