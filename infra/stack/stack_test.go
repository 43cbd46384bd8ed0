package stack_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
	"keyport/infra/stack"
	"keyport/shared/store"
	"keyport/shared/store/dynamostore"
)

// wantFunction is what each Lambda must be, derived from the operations
// table by the deployment rules: exactly the DynamoDB actions its store calls
// need, KMS only for what it seals or opens, the quota only where counted.
type wantFunction struct {
	name    string
	service string   // KMS encryption-context and partition-key service
	table   []string // exact DynamoDB actions
	leading []string // exact dynamodb:LeadingKeys patterns
	seals   bool     // kms:GenerateDataKey in its service's context
	opens   bool     // kms:Decrypt in its service's context
	limit   bool     // has KEYPORT_APIKEY_LIMIT
	lists   bool     // lists or counts: may query the table's local indexes
}

func (w wantFunction) usesKMS() bool { return w.seals || w.opens }

var wantFunctions = func() []wantFunction {
	var out []wantFunction
	for _, f := range functions.Functions() {
		leading := []string{f.Service + "#*"}
		if f.Store().Has(store.NeedList) {
			leading = append(leading, "keyport#meta")
		}
		out = append(out, wantFunction{f.Name, f.Service, dynamostore.IAMActions(f.Store()), leading,
			f.Seals(), f.Opens(), f.Quota(), f.Store().Has(store.NeedList)})
	}
	return out
}()

// TestKnownFunctions pins what today's functions are granted, written out
// by hand, so a mistake in the derivation above cannot pass unnoticed.
func TestKnownFunctions(t *testing.T) {
	known := map[string]wantFunction{
		// Create, the two Describes (get, list), Update, Enable and Disable (get, update) and
		// Delete (get, delete, count): the union of the service's actions.
		"tencent-apigateway": {name: "tencent-apigateway", service: "tencent-apigateway",
			table: []string{"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"},
			seals: true, opens: true, limit: true, lists: true},
		// Create (put), Describe (get, open), Refresh and Modify (get, update, seal); no list,
		// no delete.
		"tencent-teo": {name: "tencent-teo", service: "tencent-teo",
			table: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, seals: true, opens: true},
		"gcore-gettask": {name: "gcore-gettask", service: "gcore-cloud", table: []string{"dynamodb:GetItem"}},
		// Neither reads a secret's value: no KMS at all.
		"gcore-getsecret": {name: "gcore-getsecret", service: "gcore-cloud", table: []string{"dynamodb:GetItem"}},
		// A delete moves the collection's tally (UpdateItem).
		"gcore-deletesecret": {name: "gcore-deletesecret", service: "gcore-cloud",
			table: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
		// A page in creation order reads its records by key (BatchGetItem).
		"gcore-listtasks": {name: "gcore-listtasks", service: "gcore-cloud",
			table: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, lists: true},
		// Tokens are sealed under keys from the credentials secret: no table, no KMS.
		"identity-issuetoken": {name: "identity-issuetoken", service: "identity"},
	}
	for _, w := range wantFunctions {
		k, ok := known[w.name]
		if !ok {
			continue
		}
		delete(known, w.name)
		w.leading = nil
		if !reflect.DeepEqual(w, k) {
			t.Errorf("%s: got %+v, want %+v", w.name, w, k)
		}
	}
	for name := range known {
		t.Errorf("function %s is missing", name)
	}
	if got, want := stack.FunctionNames(), functions.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("FunctionNames() = %v, want the operations table's %v", got, want)
	}
}

func TestResourceCounts(t *testing.T) {
	f := defaultFixture(t)
	fns, apis, routes := float64(len(wantFunctions)), float64(len(wantAPIs)), 0.0
	for _, a := range wantAPIs {
		routes += float64(len(a.routes))
	}
	for typ, n := range map[string]float64{
		"AWS::Lambda::Function":          fns,
		"AWS::Lambda::Permission":        routes, // one per route: API Gateway may invoke the function
		"AWS::IAM::Role":                 fns,
		"AWS::IAM::Policy":               0, // every grant is inline on its role
		"AWS::IAM::ManagedPolicy":        0,
		"AWS::ApiGatewayV2::Api":         apis,
		"AWS::ApiGatewayV2::Stage":       apis,
		"AWS::ApiGatewayV2::Route":       routes,
		"AWS::ApiGatewayV2::Integration": fns,        // one per function, shared by its routes
		"AWS::Logs::LogGroup":            fns + apis, // function logs + access logs
		"AWS::Logs::MetricFilter":        fns,        // audit events per function
		"AWS::KMS::Key":                  1,
		"AWS::KMS::Alias":                1,
		"AWS::DynamoDB::Table":           1,
		"AWS::SecretsManager::Secret":    1,
		"Custom::LogRetention":           0, // deprecated logRetention not used
	} {
		t.Run(typ, func(t *testing.T) {
			must(t, typ, func() { f.tmpl.ResourceCountIs(jsii.String(typ), jsii.Number(n)) })
		})
	}
}

func TestTable(t *testing.T) {
	f := defaultFixture(t)
	must(t, "table", func() {
		f.tmpl.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]any{
			"DeletionPolicy":      "Retain",
			"UpdateReplacePolicy": "Retain",
			"Properties": map[string]any{
				"KeySchema": []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"},
					map[string]any{"AttributeName": "sk", "KeyType": "RANGE"}},
				"AttributeDefinitions": []any{map[string]any{"AttributeName": "pk", "AttributeType": "S"},
					map[string]any{"AttributeName": "sk", "AttributeType": "S"},
					map[string]any{"AttributeName": "lc", "AttributeType": "S"},
					map[string]any{"AttributeName": "le", "AttributeType": "S"},
					map[string]any{"AttributeName": "la", "AttributeType": "S"}},
				"LocalSecondaryIndexes": []any{
					map[string]any{"IndexName": "by_created",
						"KeySchema": []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"},
							map[string]any{"AttributeName": "lc", "KeyType": "RANGE"}},
						"Projection": map[string]any{"ProjectionType": "INCLUDE",
							"NonKeyAttributes": []any{"type", "v", "attrs", "created_at", "updated_at", "expires_at"}}},
					map[string]any{"IndexName": "by_expiry",
						"KeySchema": []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"},
							map[string]any{"AttributeName": "le", "KeyType": "RANGE"}},
						"Projection": map[string]any{"ProjectionType": "KEYS_ONLY"}},
					map[string]any{"IndexName": "by_attr",
						"KeySchema": []any{map[string]any{"AttributeName": "pk", "KeyType": "HASH"},
							map[string]any{"AttributeName": "la", "KeyType": "RANGE"}},
						"Projection": map[string]any{"ProjectionType": "INCLUDE",
							"NonKeyAttributes": []any{"type", "v", "attrs", "created_at", "updated_at", "expires_at"}}},
				},
				"BillingMode":                      "PAY_PER_REQUEST",
				"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
				"TimeToLiveSpecification":          map[string]any{"AttributeName": "expires_at", "Enabled": true},
				"DeletionProtectionEnabled":        true,
				"SSESpecification":                 map[string]any{"SSEEnabled": true},
			},
		})
	})
}

func TestKey(t *testing.T) {
	f := defaultFixture(t)
	keyID, key := f.only(t, "AWS::KMS::Key")
	if got := key.Properties["EnableKeyRotation"]; got != true {
		t.Errorf("EnableKeyRotation = %v, want true", got)
	}
	if key.DeletionPolicy != "Retain" || key.UpdateReplacePolicy != "Retain" {
		t.Errorf("key policies = %q/%q, want Retain/Retain", key.DeletionPolicy, key.UpdateReplacePolicy)
	}
	_, alias := f.only(t, "AWS::KMS::Alias")
	if got := alias.Properties["AliasName"]; got != "alias/keyport" {
		t.Errorf("AliasName = %v, want alias/keyport", got)
	}
	if got, want := alias.Properties["TargetKeyId"], getAtt(keyID, "Arn"); !reflect.DeepEqual(got, want) {
		t.Errorf("TargetKeyId = %s, want %s", js(got), js(want))
	}
}

func TestCredentialsSecret(t *testing.T) {
	f := defaultFixture(t)
	_, s := f.only(t, "AWS::SecretsManager::Secret")
	if _, ok := s.Properties["GenerateSecretString"]; ok {
		t.Errorf("secret has GenerateSecretString, want an operator-filled placeholder")
	}
	if got := s.Properties["SecretString"]; got != "{}" {
		t.Errorf("SecretString = %v, want {}", got)
	}
	if _, ok := s.Properties["KmsKeyId"]; ok {
		t.Errorf("secret uses a customer key, want the AWS managed one (no kms:Decrypt grant)")
	}
	if s.DeletionPolicy != "Retain" {
		t.Errorf("DeletionPolicy = %q, want Retain", s.DeletionPolicy)
	}
}

func TestLogGroups(t *testing.T) {
	f := defaultFixture(t)
	for id, lg := range f.ofType("AWS::Logs::LogGroup") {
		t.Run(id, func(t *testing.T) {
			if got := lg.Properties["RetentionInDays"]; got != float64(30) {
				t.Errorf("RetentionInDays = %v, want 30", got)
			}
			if lg.DeletionPolicy != "Retain" {
				t.Errorf("DeletionPolicy = %q, want Retain", lg.DeletionPolicy)
			}
		})
	}
}

func TestFunctions(t *testing.T) {
	f := defaultFixture(t)
	tableID, _ := f.only(t, "AWS::DynamoDB::Table")
	keyID, _ := f.only(t, "AWS::KMS::Key")
	secretID, _ := f.only(t, "AWS::SecretsManager::Secret")
	for _, w := range wantFunctions {
		t.Run(w.name, func(t *testing.T) {
			_, fn := f.byPath(t, w.name)
			logsID, _ := f.byPath(t, w.name+"-logs")
			roleID, _ := f.byPath(t, w.name+"-role")
			for prop, want := range map[string]any{
				"Runtime":       "provided.al2023",
				"Architectures": []any{"arm64"},
				"Handler":       "bootstrap",
				"MemorySize":    float64(256),
				"Timeout":       float64(10),
				"LoggingConfig": map[string]any{"LogFormat": "JSON", "LogGroup": ref(logsID)},
				"Role":          getAtt(roleID, "Arn"),
			} {
				if got := fn.Properties[prop]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %s, want %s", prop, js(got), js(want))
				}
			}
			env := map[string]any{
				"KEYPORT_FUNCTION":               w.name,
				"KEYPORT_TABLE":                  ref(tableID),
				"KEYPORT_CREDENTIALS_SECRET_ARN": ref(secretID),
			}
			if w.usesKMS() {
				env["KEYPORT_KMS_KEY_ID"] = getAtt(keyID, "Arn")
			}
			if w.limit {
				env["KEYPORT_APIKEY_LIMIT"] = "500"
			}
			want := map[string]any{"Variables": env}
			if got := fn.Properties["Environment"]; !reflect.DeepEqual(got, want) {
				t.Errorf("Environment = %s, want %s", js(got), js(want))
			}
		})
	}
}

// assetManifest is the part of <stack>.assets.json that maps an asset's
// staged copy to the S3 key the template's Code property names.
type assetManifest struct {
	Files map[string]struct {
		Source struct {
			Path      string `json:"path"`
			Packaging string `json:"packaging"`
		} `json:"source"`
		Destinations map[string]struct {
			ObjectKey string `json:"objectKey"`
		} `json:"destinations"`
	} `json:"files"`
}

// TestAssets checks what later tooling relies on: each function's template
// entry names the one asset.<hash> copy in cdk.out, that copy holds the
// multi-call bootstrap, and the assets manifest maps it to the S3 key.
func TestAssets(t *testing.T) {
	f := defaultFixture(t)
	raw, err := os.ReadFile(filepath.Join(f.outdir, stack.StackName+".assets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m assetManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	keyOf := map[string]string{} // asset.<hash> -> object key
	for _, a := range m.Files {
		for _, d := range a.Destinations {
			keyOf[a.Source.Path] = d.ObjectKey
		}
	}
	for _, w := range wantFunctions {
		t.Run(w.name, func(t *testing.T) {
			_, fn := f.byPath(t, w.name)
			dir, _ := fn.Metadata["aws:asset:path"].(string)
			if !strings.HasPrefix(dir, "asset.") {
				t.Fatalf("aws:asset:path = %q, want asset.<hash>", dir)
			}
			got, err := os.ReadFile(filepath.Join(f.outdir, dir, "bootstrap"))
			if err != nil {
				t.Fatal(err)
			}
			if want := bootstrapContent; string(got) != want {
				t.Errorf("%s/bootstrap = %q, want %q", dir, got, want)
			}
			code, _ := fn.Properties["Code"].(map[string]any)
			if got, want := code["S3Key"], keyOf[dir]; got != want || want == "" {
				t.Errorf("Code.S3Key = %v, want %q from the assets manifest", got, want)
			}
		})
	}
}

func TestOutputs(t *testing.T) {
	f := defaultFixture(t)
	if len(f.doc.Outputs) != len(wantAPIs) {
		t.Errorf("got %d outputs, want %d", len(f.doc.Outputs), len(wantAPIs))
	}
	for _, w := range wantAPIs {
		t.Run(w.output, func(t *testing.T) {
			apiID, _ := f.byPath(t, w.id+"Api")
			want := map[string]any{"Fn::Join": []any{"", []any{
				"https://", ref(apiID), ".execute-api.", ref("AWS::Region"), ".", ref("AWS::URLSuffix"), "/",
			}}}
			if got := f.doc.Outputs[w.output].Value; !reflect.DeepEqual(got, want) {
				t.Errorf("%s = %s, want %s", w.output, js(got), js(want))
			}
		})
	}
}

func TestProps(t *testing.T) {
	f, err := synth(stack.Props{
		APIKeyLimit:         7,
		ThrottleRate:        5,
		ThrottleBurst:       9,
		LogRetention:        awslogs.RetentionDays_ONE_WEEK,
		KeyCache:            "seal-uses=100",
		ReservedConcurrency: 25,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range wantFunctions {
		_, fn := f.byPath(t, w.name)
		env := fn.Properties["Environment"].(map[string]any)["Variables"].(map[string]any)
		if got, want := env["KEYPORT_KEY_CACHE"], map[bool]any{true: "seal-uses=100", false: nil}[w.seals || w.opens]; got != want {
			t.Errorf("%s: KEYPORT_KEY_CACHE = %v, want %v", w.name, got, want)
		}
		if got := fn.Properties["ReservedConcurrentExecutions"]; got != 25.0 {
			t.Errorf("%s: ReservedConcurrentExecutions = %v, want 25", w.name, got)
		}
	}
	_, fn := f.byPath(t, "tencent-apigateway")
	env := fn.Properties["Environment"].(map[string]any)["Variables"].(map[string]any)
	if got := env["KEYPORT_APIKEY_LIMIT"]; got != "7" {
		t.Errorf("KEYPORT_APIKEY_LIMIT = %v, want 7", got)
	}
	must(t, "throttle", func() {
		f.tmpl.AllResourcesProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
			"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 9},
		})
	})
	must(t, "retention", func() {
		f.tmpl.AllResourcesProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 7})
	})
}

func TestNewRejects(t *testing.T) {
	dist, err := makeDist()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dist, "bootstrap")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		props stack.Props
		want  string
	}{
		{"missing binary", stack.Props{DistDir: dist}, filepath.Join(dist, "bootstrap")},
		{"negative limit", stack.Props{APIKeyLimit: -1}, "negative"},
		{"negative rate", stack.Props{ThrottleRate: -1}, "negative"},
		{"bad key cache", stack.Props{KeyCache: "seal-age=soon"}, "seal-age"},
		{"reserved below -1", stack.Props{ReservedConcurrency: -2}, "ReservedConcurrency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.props.DistDir == "" {
				tc.props.DistDir = t.TempDir() // would also fail; the prop check comes first
			}
			_, err := stack.New(stack.NewApp(t.TempDir()), stack.StackName, &tc.props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New() error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// TestAuditMetricFilters checks each function's log group selects its audit events by the
// field shared/audit writes.
func TestAuditMetricFilters(t *testing.T) {
	f := defaultFixture(t)
	for _, w := range wantFunctions {
		t.Run(w.name, func(t *testing.T) {
			logsID, _ := f.byPath(t, w.name+"-logs")
			_, mf := f.byPath(t, w.name+"-audit")
			want := map[string]any{
				"LogGroupName":  ref(logsID),
				"FilterPattern": `{ $.log_type = "audit" }`,
				"MetricTransformations": []any{map[string]any{
					"MetricNamespace": "keyport", "MetricName": "AuditEvents", "MetricValue": "1",
					"Dimensions": []any{map[string]any{"Key": "Operation", "Value": "$.operation"}},
				}},
			}
			for k, v := range want {
				if got := mf.Properties[k]; !reflect.DeepEqual(got, v) {
					t.Errorf("%s = %s, want %s", k, js(got), js(v))
				}
			}
		})
	}
}
