package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
	"keyport/shared/store"
	"keyport/shared/store/dynamostore"
)

// ContextServiceKey is the KMS condition key that pins a function's
// GenerateDataKey and Decrypt calls to its own service (shared/seal puts the
// service name into every encryption context).
const ContextServiceKey = "kms:EncryptionContext:service"

// LeadingKeysKey is the DynamoDB condition key on the partition keys a
// request touches; every item of a service lives under "<service>#…".
const LeadingKeysKey = "dynamodb:LeadingKeys"

// newRole defines a function's execution role with one inline policy of
// explicit statements. The construct helpers are not tight enough here:
// key.GrantEncrypt adds Encrypt/ReEncrypt with no context condition,
// table.GrantWriteData adds BatchWrite/Delete/DescribeTable, secret.GrantRead
// adds DescribeSecret, and the default role attaches the
// AWSLambdaBasicExecutionRole managed policy (logs on every group).
func newRole(scope constructs.Construct, f functions.Function, r resources, logs awslogs.LogGroup) awsiam.Role {
	doc := awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
		Statements: statements(f, r, logs),
	})
	return awsiam.NewRole(scope, jsii.String(f.Name+"-role"), &awsiam.RoleProps{
		Description:    jsii.String("keyport " + f.Name + " execution role"),
		AssumedBy:      awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{"keyport": doc},
	})
}

// statements lists what f may do, each on one named resource: exactly the
// DynamoDB actions its store calls make, only under its own service's
// partition keys, and KMS only for what it seals or opens, only in its own
// service's encryption context.
func statements(f functions.Function, r resources, logs awslogs.LogGroup) *[]awsiam.PolicyStatement {
	// The table, and the local indexes a List or Count queries (their own IAM resources).
	tables := []*string{r.table.TableArn()}
	for _, ix := range dynamostore.Indexes(f.Store()) {
		tables = append(tables, jsii.String(*r.table.TableArn()+"/index/"+ix))
	}
	records := allow("Records", dynamostore.IAMActions(f.Store()), tables...)
	leading := []string{dynamostore.PartitionPrefix(f.Service) + "*"}
	if f.Store().Has(store.NeedList) {
		leading = append(leading, dynamostore.CursorKeyPartition)
	}
	records.AddCondition(jsii.String("ForAllValues:StringLike"), map[string]any{LeadingKeysKey: leading})
	list := []awsiam.PolicyStatement{
		allow("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logs.LogGroupArn()),
		allow("ReadCredentials", []string{"secretsmanager:GetSecretValue"}, r.secret.SecretArn()),
	}
	if f.Store() != 0 { // the identity functions read only the credentials
		list = append(list, records)
	}
	// Active tracing; X-Ray takes no resource but "*" for these two.
	list = append(list, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String("Trace"), Effect: awsiam.Effect_ALLOW,
		Actions:   jsii.Strings("xray:PutTraceSegments", "xray:PutTelemetryRecords"),
		Resources: jsii.Strings("*"),
	}))
	if f.Seals() {
		list = append(list, ownService(allow("SealOwnService", []string{"kms:GenerateDataKey"}, r.key.KeyArn()), f))
	}
	if f.Opens() {
		list = append(list, ownService(allow("OpenOwnService", []string{"kms:Decrypt"}, r.key.KeyArn()), f))
	}
	return &list
}

// ownService conditions a KMS statement on f's encryption-context service.
func ownService(s awsiam.PolicyStatement, f functions.Function) awsiam.PolicyStatement {
	s.AddCondition(jsii.String("StringEquals"), map[string]any{ContextServiceKey: f.Service})
	return s
}

// allow is one Allow statement with a Sid, actions and named resources.
func allow(sid string, actions []string, resources ...*string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String(sid),
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(actions...),
		Resources: &resources,
	})
}
