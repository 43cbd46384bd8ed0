package stack

import (
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
)

// Environment variables read by the bootstrap main.
const (
	EnvFunction    = "KEYPORT_FUNCTION"
	EnvTable       = "KEYPORT_TABLE"
	EnvKMSKeyID    = "KEYPORT_KMS_KEY_ID"
	EnvCredentials = "KEYPORT_CREDENTIALS_SECRET_ARN"
	EnvAPIKeyLimit = "KEYPORT_APIKEY_LIMIT"
	EnvKeyCache    = "KEYPORT_KEY_CACHE"
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

// FunctionNames returns the name of every function, in the order of the
// operations table (keyport/functions), which is also its construct id.
func FunctionNames() []string { return functions.Names() }

// resources are the shared constructs a function is granted access to.
type resources struct {
	code   awslambda.Code // the one multi-call bootstrap every function runs
	key    awskms.Key
	table  awsdynamodb.Table
	secret awssecretsmanager.Secret
}

// newFunctions defines every function of the operations table with its own
// log group and role.
func newFunctions(scope constructs.Construct, p Props, r resources) map[string]awslambda.Function {
	fns := map[string]awslambda.Function{}
	for _, f := range functions.Functions() {
		fns[f.Name] = newFunction(scope, p, r, f)
	}
	return fns
}

// newFunction defines one Lambda. Its log group is explicit so retention is
// set without the deprecated logRetention custom resource, and RETAIN keeps
// the issuance trail after a stack delete (events still age out with
// retention; the logs hold no secrets, see shared/web.Logged).
func newFunction(scope constructs.Construct, p Props, r resources, f functions.Function) awslambda.Function {
	logs := awslogs.NewLogGroup(scope, jsii.String(f.Name+"-logs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	newAuditMetric(scope, f, logs)
	var reserved *float64
	if p.ReservedConcurrency > 0 {
		reserved = jsii.Number(p.ReservedConcurrency)
	}
	role := newRole(scope, f, r, logs)
	fn := awslambda.NewFunction(scope, jsii.String(f.Name), &awslambda.FunctionProps{
		Description:   jsii.String("keyport " + f.Name),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          r.code,
		MemorySize:    jsii.Number(memoryMB),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(timeoutSeconds)),
		LoggingFormat: awslambda.LoggingFormat_JSON,
		LogGroup:      logs,
		// Without policy updates: the role's inline policy already has the X-Ray
		// statement tracing would otherwise add as a separate policy.
		Role:        role.WithoutPolicyUpdates(nil),
		Environment: environment(p, r, f),
		// Active tracing: Lambda samples requests into X-Ray (the role's
		// "Trace" statement).
		Tracing:                      awslambda.Tracing_ACTIVE,
		ReservedConcurrentExecutions: reserved,
	})
	suppressTracingWildcard(role)
	return fn
}

// environment names the function, table, key and secret from construct
// attributes. Only functions that seal or open get the key: the bootstrap
// builds no sealer for the others, matching their roles, which have no KMS.
func environment(p Props, r resources, f functions.Function) *map[string]*string {
	env := map[string]*string{
		EnvFunction:    jsii.String(f.Name),
		EnvTable:       r.table.TableName(),
		EnvCredentials: r.secret.SecretArn(),
	}
	if f.UsesKMS() {
		env[EnvKMSKeyID] = r.key.KeyArn()
		if p.KeyCache != "" {
			env[EnvKeyCache] = jsii.String(p.KeyCache)
		}
	}
	if f.Quota() {
		env[EnvAPIKeyLimit] = jsii.String(strconv.Itoa(p.APIKeyLimit))
	}
	return &env
}

// Audit events share the function's log group with its request log; the
// constant field log_type = "audit" (shared/audit) selects them.
const (
	AuditNamespace  = "keyport"
	AuditMetricName = "AuditEvents"
)

// newAuditMetric counts f's audit events by operation (a dimension must
// name a field of the event), so an operator can alarm on them or subscribe
// the same pattern to an archive.
func newAuditMetric(scope constructs.Construct, f functions.Function, logs awslogs.LogGroup) {
	awslogs.NewMetricFilter(scope, jsii.String(f.Name+"-audit"), &awslogs.MetricFilterProps{
		LogGroup:        logs,
		FilterPattern:   awslogs.FilterPattern_StringValue(jsii.String("$.log_type"), jsii.String("="), jsii.String("audit")),
		MetricNamespace: jsii.String(AuditNamespace),
		MetricName:      jsii.String(AuditMetricName),
		MetricValue:     jsii.String("1"),
		Dimensions:      &map[string]*string{"Operation": jsii.String("$.operation")},
	})
}
