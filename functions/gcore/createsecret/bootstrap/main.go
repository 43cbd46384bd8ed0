// Command bootstrap is the gcore-createsecret Lambda: Gcore Cloud's create secret
// (POST /cloud/v1/secrets/{project_id}/{region_id})
// behind an API Gateway HTTP API. It is the function's composition root and the only code
// that reads its environment.
package main

import (
	"net/http"
	"os"

	"keyport/functions/gcore/createsecret"
	"keyport/shared/lambdaapp"
)

func main() {
	cfg := lambdaapp.Config{
		Table:                os.Getenv("KEYPORT_TABLE"),
		KMSKeyID:             os.Getenv("KEYPORT_KMS_KEY_ID"),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	lambdaapp.Main("gcore.CreateSecret", cfg, func(app *lambdaapp.App) (http.Handler, error) {
		// New routes its Pattern itself, so it is handed to the adapter as it is.
		return createsecret.New(createsecret.Deps{Store: app.Store, Sealer: app.Sealer, Creds: app.Creds}), nil
	})
}
