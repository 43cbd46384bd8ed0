// Command bootstrap is the tencent-createapikey Lambda: Tencent Cloud API Gateway's
// CreateApiKey (POST /, X-TC-Action CreateApiKey) behind an API Gateway HTTP API. It is the
// function's composition root and the only code that reads its environment.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"

	"keyport/functions/tencent/createapikey"
	"keyport/shared/lambdaapp"
)

func main() {
	cfg := lambdaapp.Config{
		Table:                os.Getenv("KEYPORT_TABLE"),
		KMSKeyID:             os.Getenv("KEYPORT_KMS_KEY_ID"),
		CredentialsSecretARN: os.Getenv("KEYPORT_CREDENTIALS_SECRET_ARN"),
		RuntimeAPI:           os.Getenv("AWS_LAMBDA_RUNTIME_API"),
	}
	lambdaapp.Main("tencent.CreateApiKey", cfg, func(app *lambdaapp.App) (http.Handler, error) {
		limit, err := keyLimit(os.Getenv("KEYPORT_APIKEY_LIMIT"))
		if err != nil {
			return nil, err
		}
		return createapikey.New(createapikey.Deps{
			Store: app.Store, Sealer: app.Sealer, Creds: app.Creds, KeyLimit: limit}), nil
	})
}

// keyLimit parses KEYPORT_APIKEY_LIMIT; unset means the handler's default (500, Tencent's quota).
func keyLimit(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("KEYPORT_APIKEY_LIMIT must be a positive integer, got %q", v)
	}
	return n, nil
}
