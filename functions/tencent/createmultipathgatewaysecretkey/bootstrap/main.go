// Command bootstrap is the tencent-createmultipathgatewaysecretkey Lambda: Tencent EdgeOne's
// CreateMultiPathGatewaySecretKey (POST /, X-TC-Action CreateMultiPathGatewaySecretKey)
// behind an API Gateway HTTP API. It is the function's composition root and the only code
// that reads its environment.
package main

import (
	"net/http"
	"os"

	"keyport/functions/tencent/createmultipathgatewaysecretkey"
	"keyport/shared/lambdaapp"
)

func main() {
	cfg := lambdaapp.Config{
		Table:                os.Getenv("KEYPORT_TABLE"),
		KMSKeyID:             os.Getenv("KEYPORT_KMS_KEY_ID"),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	lambdaapp.Main("tencent.CreateMultiPathGatewaySecretKey", cfg, func(app *lambdaapp.App) (http.Handler, error) {
		return createmultipathgatewaysecretkey.New(createmultipathgatewaysecretkey.Deps{
			Store: app.Store, Sealer: app.Sealer, Creds: app.Creds}), nil
	})
}
