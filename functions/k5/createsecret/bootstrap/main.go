// Command bootstrap is the k5-createsecret Lambda: K5 Key Manager's create secret
// (POST /v1/{tenant_id}/secrets) behind an API Gateway HTTP API. It is the function's
// composition root and the only code that reads its environment.
package main

import (
	"net/http"
	"os"

	"keyport/functions/k5/createsecret"
	"keyport/shared/lambdaapp"
)

func main() {
	cfg := lambdaapp.Config{
		Table:                os.Getenv("KEYPORT_TABLE"),
		KMSKeyID:             os.Getenv("KEYPORT_KMS_KEY_ID"),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	lambdaapp.Main("k5.CreateSecret", cfg, func(app *lambdaapp.App) (http.Handler, error) {
		// The handler reads {tenant_id}, so it is mounted on its route pattern.
		mux := http.NewServeMux()
		mux.Handle(createsecret.Pattern, createsecret.New(createsecret.Deps{
			Store: app.Store, Sealer: app.Sealer, Creds: app.Creds}))
		return mux, nil
	})
}
