package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ContextServiceKey is the KMS condition key that pins a function's
// GenerateDataKey calls to its own service (shared/seal puts the service
// name into every encryption context).
const ContextServiceKey = "kms:EncryptionContext:service"

// newRole defines a function's execution role with one inline policy of
// explicit statements. The construct helpers are not tight enough here:
// key.GrantEncrypt adds Encrypt/ReEncrypt with no context condition,
// table.GrantWriteData adds BatchWrite/Delete/DescribeTable, secret.GrantRead
// adds DescribeSecret, and the default role attaches the
// AWSLambdaBasicExecutionRole managed policy (logs on every group).
func newRole(scope constructs.Construct, f function, r resources, logs awslogs.LogGroup) awsiam.Role {
	doc := awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
		Statements: statements(f, r, logs),
	})
	return awsiam.NewRole(scope, jsii.String(f.name+"-role"), &awsiam.RoleProps{
		Description:    jsii.String("keyport " + f.name + " execution role"),
		AssumedBy:      awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{"keyport": doc},
	})
}

// statements lists what f may do, each on one named resource.
func statements(f function, r resources, logs awslogs.LogGroup) *[]awsiam.PolicyStatement {
	list := []awsiam.PolicyStatement{
		allow("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logs.LogGroupArn()),
		allow("ReadCredentials", []string{"secretsmanager:GetSecretValue"}, r.secret.SecretArn()),
		allow("Records", f.table, r.table.TableArn()),
	}
	if f.service != "" {
		seal := allow("SealOwnService", []string{"kms:GenerateDataKey"}, r.key.KeyArn())
		seal.AddCondition(jsii.String("StringEquals"), map[string]any{ContextServiceKey: f.service})
		list = append(list, seal)
	}
	return &list
}

// allow is one Allow statement with a Sid, actions and a single resource.
func allow(sid string, actions []string, resource *string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String(sid),
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(actions...),
		Resources: jsii.Strings(*resource),
	})
}
