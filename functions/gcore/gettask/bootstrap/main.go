// Command bootstrap is the gcore-gettask Lambda: Gcore Cloud's task read
// (GET /cloud/v1/tasks/{task_id}), which clients poll after a create, behind an API Gateway
// HTTP API. It is the function's composition root and the only code that reads its
// environment.
package main

import (
	"net/http"
	"os"

	"keyport/functions/gcore/gettask"
	"keyport/shared/lambdaapp"
)

func main() {
	// ReadOnly: the function only reads task records, which hold nothing sealed, and its role
	// may not use the KMS key.
	cfg := lambdaapp.Config{
		ReadOnly:             true,
		Table:                os.Getenv("KEYPORT_TABLE"),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	lambdaapp.Main("gcore.GetTask", cfg, func(app *lambdaapp.App) (http.Handler, error) {
		// New routes its Pattern itself, so it is handed to the adapter as it is.
		return gettask.New(gettask.Deps{Store: app.Store, Creds: app.Creds}), nil
	})
}
