// Package stack defines keyport's AWS deployment as one CDK stack: a KMS key
// that wraps every sealed record's data key, a DynamoDB table for records and
// counters, a Secrets Manager secret holding the vendor credentials document,
// one Lambda per function of the operations table (keyport/functions) and one API Gateway HTTP API per vendor
// service. The package never reads the environment; main does and passes Props.
package stack

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
	"keyport/shared/seal"
)

// StackName is the construct id and CloudFormation name of the stack; the
// cloud assembly holds its template as cdk.out/KeyportStack.template.json.
const StackName = "KeyportStack"

// Defaults applied by New to zero-valued Props fields.
const (
	// DefaultDistDir is where `make build` puts the one bootstrap every
	// function runs, relative to infra/ (the CDK CLI and `go run .` run there).
	DefaultDistDir = "../dist/lambda"
	// DefaultAPIKeyLimit is Tencent API Gateway's documented per-account
	// quota of API keys, enforced by CreateApiKey's counter.
	DefaultAPIKeyLimit = 500
	// DefaultThrottleRate is Tencent's documented 20 requests/s per API,
	// used for every vendor's API as the steady-state limit.
	DefaultThrottleRate = 20
	// DefaultThrottleBurst lets a client's retry burst through at twice the
	// steady rate before API Gateway answers 429.
	DefaultThrottleBurst = 40
	// DefaultLogRetention keeps function and access logs one month: long
	// enough to investigate an issuance, short enough to hold little.
	DefaultLogRetention = awslogs.RetentionDays_ONE_MONTH
	// DefaultReservedConcurrency is each function's reserved concurrency:
	// 53 functions at 10 reserve 530 of an account's default 1,000, leaving
	// 470 to everything else (Lambda keeps 100 unreserved at least), and 10
	// warm instances of ~50 ms serve ~200 requests/s, ten times an API's
	// throttle (docs/deploy.md, "Concurrency").
	DefaultReservedConcurrency = 10
)

// Props configures the stack. Zero fields take the Default* values.
type Props struct {
	awscdk.StackProps
	// DistDir holds bootstrap, the multi-call binary of every function.
	DistDir string
	// APIKeyLimit is the per-account API key quota (KEYPORT_APIKEY_LIMIT).
	APIKeyLimit int
	// ThrottleRate is each API's default-route steady rate, requests/s.
	ThrottleRate float64
	// ThrottleBurst is each API's default-route burst, requests.
	ThrottleBurst float64
	// LogRetention applies to every function and access log group.
	LogRetention awslogs.RetentionDays
	// ReservedConcurrency is every function's reserved concurrency; -1
	// reserves none (an account whose limit is below what the functions
	// would reserve plus 100 cannot deploy them otherwise).
	ReservedConcurrency int
	// AlarmTopicARN, when set, is the SNS topic every alarm notifies.
	AlarmTopicARN string
	// AuditRetentionDays is how long Object Lock keeps each archived audit
	// object unchangeable and undeletable (compliance mode).
	AuditRetentionDays int
	// KeyCache is the sealing functions' data-key cache (KEYPORT_KEY_CACHE,
	// seal.ParseCache's syntax); empty leaves seal.DefaultCache.
	KeyCache string
}

// Keyport is the synthesized stack with handles on its main constructs.
type Keyport struct {
	awscdk.Stack
	// Key wraps every record's data key (alias/keyport).
	Key awskms.Key
	// Table stores records and counters.
	Table awsdynamodb.Table
	// Credentials is the secret the operator fills with the credentials document.
	Credentials awssecretsmanager.Secret
	// Functions maps a function name (see FunctionNames) to its Lambda.
	Functions map[string]awslambda.Function
	// APIs maps an API id (Alibaba, TencentApiGateway, …) to its HTTP API.
	APIs map[string]awsapigatewayv2.HttpApi
	// AuditTrail is the nested stack of the durable audit archive.
	AuditTrail awscdk.NestedStack
	// AuditBucket holds the archived audit events under Object Lock.
	AuditBucket awss3.Bucket
	// Monitoring is the nested stack of the alarms, dashboard and log metrics.
	Monitoring awscdk.NestedStack
	// Alarms maps an alarm's construct id to it (see newAlarms).
	Alarms map[string]awscloudwatch.Alarm
	// Dashboard shows the alarms' figures per vendor API.
	Dashboard awscloudwatch.Dashboard
}

// New defines the keyport stack in scope. It returns an error, before
// defining anything, when props are invalid or a function binary is missing.
func New(scope constructs.Construct, id string, props *Props) (*Keyport, error) {
	p, err := withDefaults(props)
	if err != nil {
		return nil, err
	}
	s := awscdk.NewStack(scope, jsii.String(id), &p.StackProps)
	k := &Keyport{Stack: s}
	k.Key = newKey(s)
	k.Credentials = newCredentials(s)
	k.Table = newTable(s)
	code := awslambda.Code_FromAsset(jsii.String(p.DistDir), nil)
	k.Functions = newFunctions(s, p, resources{code: code, key: k.Key, table: k.Table, secret: k.Credentials})
	apis := newAPIs(s, p, k.Functions)
	k.APIs = make(map[string]awsapigatewayv2.HttpApi, len(apis))
	for name, a := range apis {
		k.APIs[name] = a.api
	}
	// Alarms, the dashboard and their log metrics go in a nested stack: with
	// them the stack would pass CloudFormation's 500 resources.
	k.Monitoring = awscdk.NewNestedStack(s, jsii.String("Monitoring"), &awscdk.NestedStackProps{
		Description: jsii.String("keyport alarms, dashboard and log metrics"),
	})
	watched := monitored{functions: k.Functions, apis: apis, table: k.Table}
	for _, f := range functions.Functions() {
		newLogMetrics(k.Monitoring, f, k.Functions[f.Name].LogGroup())
	}
	k.Alarms = newAlarms(k.Monitoring, p, watched)
	k.Dashboard = newDashboard(k.Monitoring, watched)
	k.AuditTrail = awscdk.NewNestedStack(s, jsii.String("AuditTrail"), &awscdk.NestedStackProps{
		Description: jsii.String("keyport durable audit trail: log subscriptions, delivery stream, locked bucket"),
	})
	k.AuditBucket = newAuditTrail(k.AuditTrail, p, k.Functions).bucket
	newOutputs(s, apis)
	return k, nil
}

// withDefaults copies props, fills zero fields and validates the result.
func withDefaults(props *Props) (Props, error) {
	var p Props
	if props != nil {
		p = *props
	}
	if p.DistDir == "" {
		p.DistDir = DefaultDistDir
	}
	if p.APIKeyLimit == 0 {
		p.APIKeyLimit = DefaultAPIKeyLimit
	}
	if p.ThrottleRate == 0 {
		p.ThrottleRate = DefaultThrottleRate
	}
	if p.ThrottleBurst == 0 {
		p.ThrottleBurst = DefaultThrottleBurst
	}
	if p.AuditRetentionDays == 0 {
		p.AuditRetentionDays = DefaultAuditRetentionDays
	}
	if p.AuditRetentionDays < 1 {
		return p, fmt.Errorf("stack: AuditRetentionDays must be positive, got %d", p.AuditRetentionDays)
	}
	if p.ReservedConcurrency == 0 {
		p.ReservedConcurrency = DefaultReservedConcurrency
	}
	if p.LogRetention == "" {
		p.LogRetention = DefaultLogRetention
	}
	if _, err := seal.ParseCache(p.KeyCache); err != nil {
		return p, fmt.Errorf("stack: %w", err)
	}
	if p.ReservedConcurrency < -1 {
		return p, fmt.Errorf("stack: ReservedConcurrency must be -1 (none) or more, got %d", p.ReservedConcurrency)
	}
	if p.APIKeyLimit < 0 || p.ThrottleRate < 0 || p.ThrottleBurst < 0 {
		return p, fmt.Errorf("stack: APIKeyLimit, ThrottleRate and ThrottleBurst must not be negative")
	}
	return p, checkDist(p.DistDir)
}

// checkDist fails early, naming the missing file, instead of letting asset
// staging throw from inside jsii with a less helpful message.
func checkDist(dir string) error {
	path := filepath.Join(dir, "bootstrap")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("stack: function binary %s missing (run `make build` first): %w", path, err)
	}
	return nil
}
