package stack_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"keyport/functions"
)

// wantAPI is one vendor API: construct id, output name and route keys.
type wantAPI struct {
	id     string
	output string
	routes map[string]string // route key -> function name
}

// wantAPIs groups the operations table by API, in table order. Route keys
// are written in ServeMux syntax there, which API Gateway shares for every
// route the table has today but a trailing-slash alias.
var wantAPIs = func() []wantAPI {
	var out []wantAPI
	index := map[string]int{}
	for _, f := range functions.Functions() {
		i, ok := index[f.API]
		if !ok {
			i = len(out)
			index[f.API] = i
			out = append(out, wantAPI{f.API, f.API + "Endpoint", map[string]string{}})
		}
		for _, r := range f.Routes() {
			if r == "GET /{$}" { // the root itself (OpenStack discovery) is API Gateway's GET /
				r = "GET /"
			} else if strings.HasSuffix(r, "/{$}") {
				continue // API Gateway routes no trailing slash: the route without it stands for it
			}
			out[i].routes[r] = f.Name
		}
	}
	return out
}()

func TestAPIs(t *testing.T) {
	f := defaultFixture(t)
	for _, w := range wantAPIs {
		t.Run(w.id, func(t *testing.T) {
			apiID, api := f.byPath(t, w.id+"Api")
			if got := api.Properties["ProtocolType"]; got != "HTTP" {
				t.Errorf("ProtocolType = %v, want HTTP", got)
			}
			f.checkStage(t, w, apiID)
			f.checkRoutes(t, w, apiID)
		})
	}
}

// checkStage: one $default stage (no stage name in the raw path), auto
// deployed, throttled at the default 20 rps / 40 burst, JSON access logs.
func (f *fixture) checkStage(t *testing.T, w wantAPI, apiID string) {
	t.Helper()
	stageID, stage := f.byPath(t, w.id+"Api/DefaultStage")
	for prop, want := range map[string]any{
		"ApiId":                ref(apiID),
		"StageName":            "$default",
		"AutoDeploy":           true,
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": float64(20), "ThrottlingBurstLimit": float64(40)},
	} {
		if got := stage.Properties[prop]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s = %s, want %s", stageID, prop, js(got), js(want))
		}
	}
	logsID, _ := f.byPath(t, w.id+"AccessLogs")
	logs, _ := stage.Properties["AccessLogSettings"].(map[string]any)
	if got, want := logs["DestinationArn"], getAtt(logsID, "Arn"); !reflect.DeepEqual(got, want) {
		t.Errorf("access log destination = %s, want %s", js(got), js(want))
	}
	var format map[string]string
	if err := json.Unmarshal([]byte(str(logs["Format"])), &format); err != nil {
		t.Fatalf("access log format %q is not a JSON object: %v", logs["Format"], err)
	}
	if format["requestId"] != "$context.requestId" {
		t.Errorf("access log format lacks requestId: %v", format)
	}
	for k, v := range format {
		if !strings.HasPrefix(v, "$context.") {
			t.Errorf("access log field %s = %q, want only $context variables (no headers or bodies)", k, v)
		}
	}
}

// checkRoutes: exactly the wanted route keys, each a Lambda proxy
// integration (payload 2.0) to its function, which API Gateway may invoke.
func (f *fixture) checkRoutes(t *testing.T, w wantAPI, apiID string) {
	t.Helper()
	var gotKeys, wantKeys []string
	for key := range w.routes {
		wantKeys = append(wantKeys, key)
	}
	for _, route := range f.ofType("AWS::ApiGatewayV2::Route") {
		if !reflect.DeepEqual(route.Properties["ApiId"], ref(apiID)) {
			continue
		}
		key := str(route.Properties["RouteKey"])
		gotKeys = append(gotKeys, key)
		fnID, _ := f.byPath(t, w.routes[key])
		integ := f.integration(t, route.Properties["Target"])
		for prop, want := range map[string]any{
			"ApiId":                ref(apiID),
			"IntegrationType":      "AWS_PROXY",
			"IntegrationUri":       getAtt(fnID, "Arn"),
			"PayloadFormatVersion": "2.0",
		} {
			if got := integ.Properties[prop]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s integration %s = %s, want %s", key, prop, js(got), js(want))
			}
		}
		f.checkPermission(t, fnID, apiID)
	}
	sort.Strings(gotKeys)
	sort.Strings(wantKeys)
	if !reflect.DeepEqual(gotKeys, wantKeys) {
		t.Errorf("routes = %v, want %v", gotKeys, wantKeys)
	}
}

// integration resolves a route Target ("integrations/" + Ref).
func (f *fixture) integration(t *testing.T, target any) resource {
	t.Helper()
	parts, _ := target.(map[string]any)["Fn::Join"].([]any)
	if len(parts) == 2 {
		if list, _ := parts[1].([]any); len(list) == 2 && list[0] == "integrations/" {
			if id, ok := list[1].(map[string]any)["Ref"].(string); ok {
				return f.doc.Resources[id]
			}
		}
	}
	t.Fatalf("route target %s is not integrations/<ref>", js(target))
	return resource{}
}

// checkPermission: exactly one invoke permission for fn, for API Gateway,
// scoped to this API.
func (f *fixture) checkPermission(t *testing.T, fnID, apiID string) {
	t.Helper()
	n := 0
	for id, p := range f.ofType("AWS::Lambda::Permission") {
		if !reflect.DeepEqual(p.Properties["FunctionName"], getAtt(fnID, "Arn")) {
			continue
		}
		n++
		if p.Properties["Principal"] != "apigateway.amazonaws.com" || p.Properties["Action"] != "lambda:InvokeFunction" {
			t.Errorf("%s = %s, want apigateway.amazonaws.com lambda:InvokeFunction", id, js(p.Properties))
		}
		if !strings.Contains(js(p.Properties["SourceArn"]), `"Ref":"`+apiID+`"`) {
			t.Errorf("%s SourceArn = %s, want scoped to %s", id, js(p.Properties["SourceArn"]), apiID)
		}
	}
	if n != 1 {
		t.Errorf("got %d invoke permissions for %s, want 1", n, fnID)
	}
}
