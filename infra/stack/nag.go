package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Reasons for every accepted cdk-nag AwsSolutions finding. Each is attached
// to the one resource it concerns, never to the whole stack or a subtree.
const (
	reasonNoAuthorizer = "Each function verifies the vendor's own request signature or token " +
		"(TC3, ACS3, Gcore APIKey, K5 X-Auth-Token) against the credentials document, because " +
		"unmodified vendor SDK clients must work; an API Gateway authorizer cannot check those schemes."
	reasonTracing = "X-Ray's xray:PutTraceSegments and xray:PutTelemetryRecords, which Lambda " +
		"active tracing grants, support no resource-level permissions: Resource * is the only form."
	reasonArchiveObjects = "Firehose names each object it writes (prefix, date, stream and a " +
		"random suffix): the delivery role may write objects under audit* in the one archive bucket, " +
		"and has no delete."
	reasonNoRotation = "The secret holds third-party API credentials issued to clients by the " +
		"operator; the operator rotates them by editing the document, Secrets Manager cannot."
)

// AddChecks runs cdk-nag's AwsSolutions pack on everything in scope at
// synthesis; findings become error or warning annotations.
func AddChecks(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{
		Verbose: jsii.Bool(true),
	}), nil)
}

// suppressNoAuthorizer accepts AwsSolutions-APIG4 on one route's
// AWS::ApiGatewayV2::Route only, not on the API or its other children.
func suppressNoAuthorizer(route awsapigatewayv2.HttpRoute) {
	cdknag.NagSuppressions_AddResourceSuppressions(route.Node().DefaultChild(), &[]*cdknag.NagPackSuppression{
		{Id: jsii.String("AwsSolutions-APIG4"), Reason: jsii.String(reasonNoAuthorizer)},
	}, jsii.Bool(false))
}

// suppressNoRotation accepts AwsSolutions-SMG4 on the credentials secret.
func suppressNoRotation(secret awssecretsmanager.Secret) {
	cdknag.NagSuppressions_AddResourceSuppressions(secret, &[]*cdknag.NagPackSuppression{
		{Id: jsii.String("AwsSolutions-SMG4"), Reason: jsii.String(reasonNoRotation)},
	}, jsii.Bool(false))
}

// suppressTracingWildcard accepts AwsSolutions-IAM5 for "Resource::*" only, on
// a function role, whose "Trace" statement holds it (TestNoWildcards checks
// that no other statement has a wildcard).
func suppressTracingWildcard(role awsiam.IRole) {
	cdknag.NagSuppressions_AddResourceSuppressions(role, &[]*cdknag.NagPackSuppression{
		{Id: jsii.String("AwsSolutions-IAM5"), Reason: jsii.String(reasonTracing),
			AppliesTo: &[]interface{}{jsii.String("Resource::*")}},
	}, jsii.Bool(false))
}

// suppressArchiveObjects accepts AwsSolutions-IAM5 on the delivery role for
// its one wildcard: the audit archive's objects under audit*, which Firehose
// names as it writes them.
func suppressArchiveObjects(role awsiam.Role) {
	cdknag.NagSuppressions_AddResourceSuppressions(role, &[]*cdknag.NagPackSuppression{
		{Id: jsii.String("AwsSolutions-IAM5"), Reason: jsii.String(reasonArchiveObjects),
			AppliesTo: &[]interface{}{&cdknag.RegexAppliesTo{Regex: jsii.String(`/^Resource::<auditarchive[0-9A-F]+\.Arn>\/audit\*$/`)}}},
	}, jsii.Bool(false))
}
