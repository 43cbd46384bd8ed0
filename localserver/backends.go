package localserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"keyport/shared/credentials"
	"keyport/shared/localdata"
	"keyport/shared/seal"
	"keyport/shared/seal/awskms"
	"keyport/shared/seal/localkey"
	"keyport/shared/store/dynamostore"
	"keyport/shared/store/memstore"
)

// openServices builds the credentials book, the store and the sealer once, at start-up.
func openServices(ctx context.Context, cfg config, logger *slog.Logger, banner io.Writer) (services, func(), error) {
	creds, err := loadCredentials(cfg.credentialsFile, banner)
	if err != nil {
		return services{}, nil, err
	}
	svc := services{creds: creds, keyLimit: cfg.keyLimit, now: time.Now, logger: logger}
	if n := creds.Unrestricted(); n > 0 {
		logger.Info("credentials without a policy keep full access to their account (docs/policies.md)", slog.Int("credentials", n))
	}
	var open func(config, services) (services, func(), error)
	switch cfg.storeKind {
	case "dynamodb":
		open = func(cfg config, svc services) (services, func(), error) { return openAWS(ctx, cfg, svc, banner) }
	case "memory":
		open = openMemory
	default:
		open = openLocal
	}
	svc, closer, err := open(cfg, svc)
	if err != nil {
		return services{}, nil, err
	}
	// The same data-key cache on either key: the code path a Lambda runs. Not on a KMS key
	// keyport created on a local moto_server: a cached key would hide the key's loss when moto
	// restarts (no GenerateDataKey fails, so none recreates it) and seal values nothing opens.
	if cfg.storeKind != "dynamodb" || cfg.kmsKeyID != "" {
		svc.sealer = svc.sealer.WithCache(cfg.keyCache)
	}
	return svc, closer, nil
}

// openMemory keeps everything in memory, sealed under a key that never leaves it.
func openMemory(_ config, svc services) (services, func(), error) {
	svc.store, svc.sealer = memstore.New(), seal.New(localkey.Ephemeral())
	return svc, func() {}, nil
}

func openLocal(cfg config, svc services) (services, func(), error) {
	data, err := localdata.Open(cfg.dataDir)
	if err != nil {
		return services{}, nil, err
	}
	svc.store, svc.sealer = data.Store, data.Sealer
	return svc, func() { data.Close() }, nil
}

// openAWS uses DynamoDB and KMS through the default AWS configuration chain, so
// AWS_ENDPOINT_URL, AWS_REGION and the usual credential variables apply.
func openAWS(ctx context.Context, cfg config, svc services, banner io.Writer) (services, func(), error) {
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return services{}, nil, fmt.Errorf("aws config: %w", err)
	}
	ddb, kmsClient := dynamodb.NewFromConfig(awsCfg), kms.NewFromConfig(awsCfg)
	keyID := cfg.kmsKeyID
	if keyID == "" && !cfg.createTable {
		return services{}, nil, errors.New("-store dynamodb needs -kms-key (or -create-table, for a local moto_server)")
	}
	dyn := dynamostore.New(ddb, cfg.table)
	svc.store, svc.sealer = dyn, seal.New(pinnedKey{awskms.New(kmsClient, keyID), keyID})
	if !cfg.createTable {
		return svc, func() {}, nil
	}
	if err := dynamostore.CreateTable(ctx, ddb, cfg.table); err != nil {
		return services{}, nil, fmt.Errorf("create table %s: %w", cfg.table, err)
	}
	// A local moto_server forgets its tables and keys when it restarts: recover both (recover.go).
	svc.store = &recoveringTable{Store: dyn, client: ddb, table: cfg.table, logger: svc.logger}
	if keyID == "" {
		out, err := kmsClient.CreateKey(ctx, &kms.CreateKeyInput{})
		if err != nil {
			return services{}, nil, fmt.Errorf("create KMS key: %w", err)
		}
		keyID = *out.KeyMetadata.KeyId
		fmt.Fprintf(banner, "created KMS key %s\n", keyID)
		svc.sealer = seal.New(newRecoveringKey(kmsClient, keyID, svc.logger))
	}
	return svc, func() {}, nil
}

// loadCredentials reads the credentials file, or falls back to the documented development
// credentials and prints them, since a newcomer needs them to point an SDK at the server.
func loadCredentials(path string, banner io.Writer) (*credentials.Book, error) {
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		return credentials.Parse(data)
	}
	fmt.Fprintf(banner, `no credentials file given: using the development credentials (loopback use only)
  Tencent  SecretId %s  SecretKey %s
  Alibaba  AccessKeyId %s  AccessKeySecret %s
  Gcore    Authorization: APIKey %s  (project %d, any region)
  K5       X-Auth-Token: %s  (tenant %s)
  OpenStack  auth_url http://<this address>/v3  user %s  password %s  (domain id default, name Default; project %s, roles admin member reader)
`, credentials.DevTencentSecretID, credentials.DevTencentSecretKey,
		credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret,
		credentials.DevGcoreAPIKey, credentials.DevGcoreProject,
		credentials.DevK5Token, credentials.DevK5Tenant,
		credentials.DevUserName, credentials.DevUserPassword, credentials.DevK5Tenant)
	return credentials.Dev(), nil
}
