// Package lambdaapp is the Lambda plumbing every keyport function shares: it builds the AWS
// clients once per cold start (DynamoDB store, KMS sealer, the credentials book read from a
// Secrets Manager secret), wraps an operation's plain net/http handler with the credentials
// refresh, the request log line and the audit event, and hands it to the Lambda runtime
// through the API Gateway HTTP API (payload 2.0) adapter.
//
// It never reads the environment: each function's main reads its variables into a Config.
// There is no fallback to development credentials: a cold start that cannot read the
// credentials secret fails.
package lambdaapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/seal"
	"keyport/shared/seal/awskms"
	"keyport/shared/store/dynamostore"
)

// DefaultCredentialsTTL is how long a loaded credentials document is used before the secret is
// read again: short enough that a rotation takes effect within minutes, long enough that a warm
// function calls Secrets Manager a few times an hour at most.
const DefaultCredentialsTTL = 5 * time.Minute

// Config is what a function's main reads from its environment.
type Config struct {
	// Table is the DynamoDB table name (KEYPORT_TABLE). Required.
	Table string
	// KMSKeyID is the KMS key id or ARN that wraps data keys (KEYPORT_KMS_KEY_ID). Required
	// unless NoKMS.
	KMSKeyID string
	// NoKMS marks a function that neither seals nor opens a secret value (gcore-gettask): it
	// gets no sealer and needs no KMS key, which its IAM role could not use anyway.
	NoKMS bool
	// CredentialsSecretARN names the Secrets Manager secret holding the credentials document
	// (KEYPORT_CREDENTIALS_SECRET_ARN). Required.
	CredentialsSecretARN string
	// CredentialsTTL is how long a loaded document is used; zero means DefaultCredentialsTTL.
	CredentialsTTL time.Duration
	// RuntimeAPI is the Lambda Runtime API address (AWS_LAMBDA_RUNTIME_API). Main reports a
	// failed cold start there, so the invoke fails with a named error rather than a bare exit.
	// Open ignores it.
	RuntimeAPI string
}

// App is one cold start's worth of dependencies, shared by every invocation the process serves.
type App struct {
	// Store is the DynamoDB record store.
	Store *dynamostore.Store
	// Sealer seals secret values under the KMS key; nil when Config.NoKMS.
	Sealer *seal.Sealer
	// Creds is the live credentials book; its entries are swapped in place on refresh.
	Creds *credentials.Book
	// Logger writes JSON lines to stdout (CloudWatch Logs). Set it before calling Handler.
	Logger *slog.Logger
	// Audit writes one audit event per request to stdout too: the function's log group is the
	// one place a Lambda can write without more permissions or a network call in the request
	// path, and every event carries "log_type":"audit", which a metric filter or subscription
	// selects with { $.log_type = "audit" } (Lambda keeps JSON lines as they are).
	Audit *audit.Writer

	refresher *credentials.Refresher
}

// Open builds the AWS configuration once (the default chain, so AWS_REGION, AWS_ENDPOINT_URL
// and the execution role apply), reads the credentials secret, and returns the App. It fails
// when the table or secret is not configured or the secret cannot be read or parsed.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("lambdaapp: AWS configuration: %w", err)
	}
	return open(ctx, cfg, awsCfg)
}

// open is Open with the AWS configuration given, so tests can aim it at moto directly.
func open(ctx context.Context, cfg Config, awsCfg aws.Config) (*App, error) {
	ttl := cfg.CredentialsTTL
	if ttl <= 0 {
		ttl = DefaultCredentialsTTL
	}
	fetch := secretFetch(secretsmanager.NewFromConfig(awsCfg), cfg.CredentialsSecretARN)
	ref, err := credentials.NewRefresher(ctx, fetch, ttl, nil)
	if err != nil {
		return nil, fmt.Errorf("lambdaapp: load credentials: %w", err)
	}
	app := &App{
		Store:     dynamostore.New(dynamodb.NewFromConfig(awsCfg), cfg.Table),
		Creds:     ref.Book(),
		Logger:    slog.New(slog.NewJSONHandler(os.Stdout, nil)),
		Audit:     audit.NewWriter(os.Stdout),
		refresher: ref,
	}
	if n := app.Creds.Unrestricted(); n > 0 {
		app.Logger.Info("credentials without a policy keep full access to their account (docs/policies.md)", slog.Int("credentials", n))
	}
	if !cfg.NoKMS {
		app.Sealer = seal.New(awskms.New(kms.NewFromConfig(awsCfg), cfg.KMSKeyID))
	}
	return app, nil
}

// check refuses a Config missing what every function needs.
func (c Config) check() error {
	var missing []error
	if c.Table == "" {
		missing = append(missing, errors.New("lambdaapp: no DynamoDB table configured"))
	}
	if c.CredentialsSecretARN == "" {
		missing = append(missing, errors.New("lambdaapp: no credentials secret configured"))
	}
	if c.KMSKeyID == "" && !c.NoKMS {
		missing = append(missing, errors.New("lambdaapp: no KMS key configured for a function that seals"))
	}
	return errors.Join(missing...)
}
