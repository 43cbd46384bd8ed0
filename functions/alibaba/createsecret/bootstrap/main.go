// Command bootstrap is the alibaba-createsecret Lambda: Alibaba Cloud APIG's CreateSecret (POST /v1/secrets)
// behind an API Gateway HTTP API. It is the function's composition root and the only code
// that reads its environment.
package main

import (
	"net/http"
	"os"

	"keyport/functions/alibaba/createsecret"
	"keyport/shared/lambdaapp"
)

func main() {
	cfg := lambdaapp.Config{
		Table:                os.Getenv("KEYPORT_TABLE"),
		KMSKeyID:             os.Getenv("KEYPORT_KMS_KEY_ID"),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	lambdaapp.Main("alibaba.CreateSecret", cfg, func(app *lambdaapp.App) (http.Handler, error) {
		return createsecret.New(createsecret.Deps{Store: app.Store, Sealer: app.Sealer, Creds: app.Creds}), nil
	})
}
