package stack

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
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

// services groups the operations table's functions by API, in table order.
func services() []service {
	var out []service
	index := map[string]int{}
	for _, f := range functions.Functions() {
		i, ok := index[f.API]
		if !ok {
			i = len(out)
			index[f.API] = i
			out = append(out, service{id: f.API, output: f.API + "Endpoint"})
		}
		for _, r := range f.Routes() {
			method, path, _ := strings.Cut(r, " ")
			rt := route{awsapigatewayv2.HttpMethod(method), routePath(path), f.Name}
			if !slices.Contains(out[i].routes, rt) { // an alias API Gateway cannot tell apart
				out[i].routes = append(out[i].routes, rt)
			}
		}
	}
	return out
}

// routePath turns a ServeMux path into API Gateway's syntax: "{x...}" is
// "{x+}" there, and "{$}" (exactly this path) is API Gateway's default. A
// route path there may not end in "/", so "/v1/secrets/{$}" (the trailing
// slash python-barbicanclient posts to) becomes "/v1/secrets", the route the
// same function already has.
func routePath(path string) string {
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "...}", "+}")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	if path == "" {
		return "/"
	}
	return path
}

// deployedAPI is an HTTP API with the stage clients call.
type deployedAPI struct {
	api   awsapigatewayv2.HttpApi
	stage awsapigatewayv2.HttpStage
}

// newAPIs defines every service's HTTP API, routed to fns.
func newAPIs(scope constructs.Construct, p Props, fns map[string]awslambda.Function) map[string]deployedAPI {
	apis := map[string]deployedAPI{}
	for _, s := range services() {
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
	// One integration per function, shared by its routes.
	integrations := map[string]awsapigatewayv2integrations.HttpLambdaIntegration{}
	for _, r := range s.routes {
		integration, ok := integrations[r.function]
		if !ok {
			integration = awsapigatewayv2integrations.NewHttpLambdaIntegration(
				jsii.String(r.function+"-integration"), fns[r.function],
				&awsapigatewayv2integrations.HttpLambdaIntegrationProps{
					PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0(),
				})
			integrations[r.function] = integration
		}
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
