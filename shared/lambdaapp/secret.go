package lambdaapp

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"keyport/shared/credentials"
)

// secretReader is the one Secrets Manager call the credentials refresh needs.
type secretReader interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, optFns ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// errNoValue is returned for a secret version holding neither a string nor binary value.
var errNoValue = errors.New("the credentials secret has no value")

// secretFetch returns a credentials.Fetch reading the current version of secret id. Its errors
// are the SDK's (operation, secret ARN, AWS request id), which never include the value.
func secretFetch(c secretReader, id string) credentials.Fetch {
	return func(ctx context.Context) ([]byte, error) {
		out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil {
			return nil, err
		}
		switch {
		case out.SecretString != nil:
			return []byte(*out.SecretString), nil
		case out.SecretBinary != nil:
			return out.SecretBinary, nil
		}
		return nil, errNoValue
	}
}
