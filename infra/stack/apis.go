package stack

import (
	"encoding/json"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// route sends one method and path of an API to one function.
type route struct {
	method   awsapigatewayv2.HttpMethod
	path     string
	function string
}

// service is one vendor API as its SDK clients expect it: a host of its own
// (both Tencent services use POST /, so they cannot share one) answering
// the vendor's paths at the root, which is why every API uses the $default
// stage (a named stage would appear in the raw path the handlers see).
type service struct {
	id     string // construct id prefix and key of Keyport.APIs
	output string // CfnOutput id for the endpoint URL
	routes []route
}

// services lists every HTTP API; paths match cmd/keyport's local mux.
var services = []service{
	{id: "Alibaba", output: "AlibabaEndpoint", routes: []route{
		{awsapigatewayv2.HttpMethod_POST, "/v1/secrets", "alibaba-createsecret"},
	}},
	{id: "TencentApiGateway", output: "TencentApiGatewayEndpoint", routes: []route{
		{awsapigatewayv2.HttpMethod_POST, "/", "tencent-createapikey"},
	}},
	{id: "TencentEdgeOne", output: "TencentEdgeOneEndpoint", routes: []route{
		{awsapigatewayv2.HttpMethod_POST, "/", "tencent-createmultipathgatewaysecretkey"},
	}},
	{id: "Gcore", output: "GcoreEndpoint", routes: []route{
		{awsapigatewayv2.HttpMethod_POST, "/cloud/v1/secrets/{project_id}/{region_id}", "gcore-createsecret"},
		{awsapigatewayv2.HttpMethod_GET, "/cloud/v1/tasks/{task_id}", "gcore-gettask"},
	}},
	{id: "K5", output: "K5Endpoint", routes: []route{
		{awsapigatewayv2.HttpMethod_POST, "/v1/{tenant_id}/secrets", "k5-createsecret"},
	}},
}

// deployedAPI is an HTTP API with the stage clients call.
type deployedAPI struct {
	api   awsapigatewayv2.HttpApi
	stage awsapigatewayv2.HttpStage
}

// newAPIs defines every service's HTTP API, routed to fns.
func newAPIs(scope constructs.Construct, p Props, fns map[string]awslambda.Function) map[string]deployedAPI {
	apis := make(map[string]deployedAPI, len(services))
	for _, s := range services {
		apis[s.id] = newAPI(scope, p, s, fns)
	}
	return apis
}

// newAPI defines one HTTP API with a throttled, access-logged $default
// stage. The stage is added explicitly because HttpApiProps has no access
// log or throttle settings for the default stage it would create.
func newAPI(scope constructs.Construct, p Props, s service, fns map[string]awslambda.Function) deployedAPI {
	api := awsapigatewayv2.NewHttpApi(scope, jsii.String(s.id+"Api"), &awsapigatewayv2.HttpApiProps{
		ApiName:            jsii.String("keyport-" + s.id),
		Description:        jsii.String("keyport: " + s.id + " compatible API"),
		CreateDefaultStage: jsii.Bool(false),
	})
	logs := awslogs.NewLogGroup(scope, jsii.String(s.id+"AccessLogs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	stage := api.AddStage(jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageOptions{
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(p.ThrottleRate),
			BurstLimit: jsii.Number(p.ThrottleBurst),
		},
		AccessLogSettings: &accessLog{destination: awsapigatewayv2.NewLogGroupLogDestination(logs)},
	})
	for _, r := range s.routes {
		integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(
			jsii.String(r.function+"-integration"), fns[r.function],
			&awsapigatewayv2integrations.HttpLambdaIntegrationProps{
				PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0(),
			})
		routes := api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(r.path),
			Methods:     &[]awsapigatewayv2.HttpMethod{r.method},
			Integration: integration,
		})
		for _, added := range *routes {
			suppressNoAuthorizer(added)
		}
	}
	return deployedAPI{api: api, stage: stage}
}

// accessLog implements IAccessLogSettings (a jsii interface, not a struct,
// so Go has to provide it as a type with these two methods).
type accessLog struct {
	destination awsapigatewayv2.IAccessLogDestination
}

// Destination is the access log group.
func (a *accessLog) Destination() awsapigatewayv2.IAccessLogDestination { return a.destination }

// Format is one JSON object per request.
func (a *accessLog) Format() awsapigateway.AccessLogFormat {
	return awsapigateway.AccessLogFormat_Custom(jsii.String(accessLogFormat))
}

// accessLogFormat is what each access log line holds: who called which
// route, the outcome and the timings. Never headers or bodies, which carry
// signatures, tokens and issued secrets.
var accessLogFormat = mustJSON(map[string]string{
	"requestId":        "$context.requestId",
	"ip":               "$context.identity.sourceIp",
	"requestTime":      "$context.requestTime",
	"routeKey":         "$context.routeKey",
	"status":           "$context.status",
	"protocol":         "$context.protocol",
	"responseLength":   "$context.responseLength",
	"responseLatency":  "$context.responseLatency",
	"integrationError": "$context.integrationErrorMessage",
	"integrationMs":    "$context.integrationLatency",
	"userAgent":        "$context.identity.userAgent",
})

// mustJSON marshals a constant map; it cannot fail.
func mustJSON(v map[string]string) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
