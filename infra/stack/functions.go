package stack

import (
	"path/filepath"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Environment variables read by every function's bootstrap main.
const (
	EnvTable       = "KEYPORT_TABLE"
	EnvKMSKeyID    = "KEYPORT_KMS_KEY_ID"
	EnvCredentials = "KEYPORT_CREDENTIALS_SECRET_ARN"
	EnvAPIKeyLimit = "KEYPORT_APIKEY_LIMIT"
)

// Sizing shared by every function. 256 MB: an arm64 Go binary doing one
// Secrets Manager read per cold start, then one KMS and one DynamoDB call
// per request, idles far below it, and Lambda's CPU share grows with memory
// so 128 MB would slow cold starts (TLS handshakes) for no real saving.
// 10 s: the slowest path is a cold start plus three AWS calls with SDK
// retries; it stays well below API Gateway's 30 s integration timeout so a
// stuck call ends as the function's own error, not a gateway 503.
const (
	memoryMB       = 256
	timeoutSeconds = 10
)

// function describes one Lambda: its binary, the vendor service it seals
// for and the DynamoDB actions its store calls need.
type function struct {
	name    string   // folder under DistDir, construct id and log name
	service string   // KMS encryption-context service; "" = never seals
	table   []string // DynamoDB actions, authorised on the table ARN only
	quota   bool     // receives KEYPORT_APIKEY_LIMIT
}

// Every create is one TransactWriteItems; IAM authorises each Put/Update
// inside it as dynamodb:PutItem/UpdateItem. No ConditionCheck is used.
var (
	puts        = []string{"dynamodb:PutItem"}
	putsCounted = []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}
	reads       = []string{"dynamodb:GetItem"}
)

// functions lists every Lambda; order fixes the order of construct creation.
var functions = []function{
	{name: "alibaba-createsecret", service: "alibaba-apig", table: puts},
	{name: "tencent-createapikey", service: "tencent-apigateway", table: putsCounted, quota: true},
	{name: "tencent-createmultipathgatewaysecretkey", service: "tencent-teo", table: puts},
	{name: "gcore-createsecret", service: "gcore-cloud", table: puts},
	{name: "gcore-gettask", table: reads},
	{name: "k5-createsecret", service: "k5-keymanager", table: puts},
}

// FunctionNames returns the name of every function, which is also its
// folder under the dist dir and the construct id of its Lambda.
func FunctionNames() []string {
	names := make([]string, len(functions))
	for i, f := range functions {
		names[i] = f.name
	}
	return names
}

// resources are the shared constructs a function is granted access to.
type resources struct {
	key    awskms.Key
	table  awsdynamodb.Table
	secret awssecretsmanager.Secret
}

// newFunctions defines every function with its own log group and role.
func newFunctions(scope constructs.Construct, p Props, r resources) map[string]awslambda.Function {
	fns := make(map[string]awslambda.Function, len(functions))
	for _, f := range functions {
		fns[f.name] = newFunction(scope, p, r, f)
	}
	return fns
}

// newFunction defines one Lambda. Its log group is explicit so retention is
// set without the deprecated logRetention custom resource, and RETAIN keeps
// the issuance trail after a stack delete (events still age out with
// retention; the logs hold no secrets, see shared/web.Logged).
func newFunction(scope constructs.Construct, p Props, r resources, f function) awslambda.Function {
	logs := awslogs.NewLogGroup(scope, jsii.String(f.name+"-logs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	return awslambda.NewFunction(scope, jsii.String(f.name), &awslambda.FunctionProps{
		Description:   jsii.String("keyport " + f.name),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          awslambda.Code_FromAsset(jsii.String(filepath.Join(p.DistDir, f.name)), nil),
		MemorySize:    jsii.Number(memoryMB),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(timeoutSeconds)),
		LoggingFormat: awslambda.LoggingFormat_JSON,
		LogGroup:      logs,
		Role:          newRole(scope, f, r, logs),
		Environment:   environment(p, r, f),
	})
}

// environment names the table, key and secret from construct attributes.
// Only sealing functions get the key: shared/lambdaapp builds no sealer
// when KEYPORT_KMS_KEY_ID is empty, matching the role, which has no KMS.
func environment(p Props, r resources, f function) *map[string]*string {
	env := map[string]*string{
		EnvTable:       r.table.TableName(),
		EnvCredentials: r.secret.SecretArn(),
	}
	if f.service != "" {
		env[EnvKMSKeyID] = r.key.KeyArn()
	}
	if f.quota {
		env[EnvAPIKeyLimit] = jsii.String(strconv.Itoa(p.APIKeyLimit))
	}
	return &env
}
