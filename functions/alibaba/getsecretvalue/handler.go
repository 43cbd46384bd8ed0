// Package getsecretvalue is Alibaba Cloud APIG's GetSecretValue
// (GET /v1/secrets/name/{name}/value) for keyport: the value of the caller's secret called
// name, opened from its envelope. It is the only Alibaba operation that may decrypt. APIG
// addresses a value by name only; the name record makes that two key reads (see apigsecret).
package getsecretvalue

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Pattern is the operation's route, shared by the local server and the Lambda.
const Pattern = "GET /v1/secrets/name/{name}/value"

// reader is what GetSecretValue does with the store: two reads, and the nonce write of a success.
type reader interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
	Apply(ctx context.Context, tx store.Tx) error
}

// opener opens a sealed value: one KMS Decrypt per read in production.
type opener interface {
	Open(ctx context.Context, scope seal.Scope, aad, blob []byte) ([]byte, error)
}

// Deps are the operation's collaborators; Now defaults to time.Now.
type Deps struct {
	Store  reader
	Sealer opener
	Creds  *credentials.Book
	Now    func() time.Time
}

// value is the answer's data.
type value struct {
	SecretData string `json:"secretData"`
}

// New returns the GetSecretValue handler (it routes Pattern itself).
func New(d Deps) http.Handler {
	if d.Store == nil || d.Sealer == nil || d.Creds == nil {
		panic("getsecretvalue: Deps needs Store, Sealer and Creds")
	}
	return alibaba.Handle(Pattern, d.Creds, d.Now, func(r *http.Request, c alibaba.Caller, _ []byte) (any, error) {
		ctx := r.Context()
		rec, err := apigsecret.GetByName(ctx, d.Store, c.Account, r.PathValue("name"))
		if err != nil {
			return nil, err
		}
		// The nonce is spent before the value is opened, so a replay costs no KMS call.
		if err := c.Spend(ctx, d.Store); err != nil {
			return nil, err
		}
		plain, err := d.Sealer.Open(ctx, apigsecret.Scope(c.Account), rec.AAD(), rec.Sealed)
		if err != nil {
			return nil, fmt.Errorf("getsecretvalue: open %s: %v", rec.ID, err)
		}
		v := value{SecretData: string(plain)}
		clear(plain) // the answer holds the only copy the request needs
		return v, nil
	})
}
