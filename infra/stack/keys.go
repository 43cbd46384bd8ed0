package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// KeyAlias names the key for operators; functions receive the key ARN.
const KeyAlias = "alias/keyport"

// newKey defines the symmetric key that wraps every sealed record's data
// key. It is retained on stack delete: losing it makes every stored record
// unreadable, and the retained table would be worthless without it.
func newKey(scope constructs.Construct) awskms.Key {
	key := awskms.NewKey(scope, jsii.String("Key"), &awskms.KeyProps{
		Description:       jsii.String("keyport: wraps the data key of every sealed record"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	// A separate Alias construct (not KeyProps.Alias) so it has a stable
	// logical id of its own in the template.
	awskms.NewAlias(scope, jsii.String("KeyAlias"), &awskms.AliasProps{
		AliasName: jsii.String(KeyAlias),
		TargetKey: key,
	})
	return key
}

// credentialsPlaceholder is the secret's initial value: an empty credentials
// document, so a fresh deployment accepts no client until the operator puts
// the real document. It holds nothing secret, hence "unsafe" plain text.
const credentialsPlaceholder = "{}"

// newCredentials defines the secret holding the vendor credentials document
// (the Lambda counterpart of the local credentials file). CDK would generate
// a random string by default; an explicit placeholder turns that off. It is
// encrypted with the AWS managed key so reading it needs no grant on our
// key, and retained because only the operator can recreate its contents.
func newCredentials(scope constructs.Construct) awssecretsmanager.Secret {
	secret := awssecretsmanager.NewSecret(scope, jsii.String("Credentials"), &awssecretsmanager.SecretProps{
		Description:       jsii.String("keyport: vendor credentials document (JSON), filled by the operator"),
		SecretStringValue: awscdk.SecretValue_UnsafePlainText(jsii.String(credentialsPlaceholder)),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	suppressNoRotation(secret)
	return secret
}
