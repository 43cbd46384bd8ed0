package stack_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"keyport/infra/stack"
)

// monitoring decodes the nested stack of alarms, dashboard and log metrics.
func monitoring(t *testing.T, f *fixture) templateDoc { return nested(t, f.stack.Monitoring) }

// auditTrail decodes the nested stack of the durable audit trail.
func auditTrail(t *testing.T, f *fixture) templateDoc { return nested(t, f.stack.AuditTrail) }

func nested(t *testing.T, s awscdk.Stack) templateDoc {
	t.Helper()
	raw, err := json.Marshal(assertions.Template_FromStack(s, nil).ToJSON())
	if err != nil {
		t.Fatal(err)
	}
	var doc templateDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestTracingAndConcurrency: every function traces actively and reserves the default
// concurrency; -1 reserves none, a number reserves that many.
func TestTracingAndConcurrency(t *testing.T) {
	none, err := synth(stack.Props{ReservedConcurrency: -1, AlarmTopicARN: "arn:aws:sns:eu-west-1:123456789012:keyport-alarms",
		AuditRetentionDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		f    *fixture
		want any
	}{"default": {defaultFixture(t), float64(stack.DefaultReservedConcurrency)}, "-1": {none, nil}} {
		fns := tt.f.ofType("AWS::Lambda::Function")
		if len(fns) != len(stack.FunctionNames()) {
			t.Fatalf("%s: got %d functions, want %d", name, len(fns), len(stack.FunctionNames()))
		}
		for id, fn := range fns {
			if got := fn.Properties["ReservedConcurrentExecutions"]; got != tt.want {
				t.Errorf("%s: %s reserves %v, want %v", name, id, got, tt.want)
			}
			if got := js(fn.Properties["TracingConfig"]); got != `{"Mode":"Active"}` {
				t.Errorf("%s: %s tracing %s, want Active", name, id, got)
			}
		}
	}
	// The audit retention is the stack's property.
	for _, b := range ofType(auditTrail(t, none), "AWS::S3::Bucket") {
		if days := dig(b.Properties, "ObjectLockConfiguration", "Rule", "DefaultRetention", "Days"); days != nil && days != 30.0 {
			t.Errorf("AuditRetentionDays 30: archive locks objects %v days", days)
		}
	}
	// The alarms of a stack given a topic notify it, and only it.
	for id, a := range monitoring(t, none).Resources {
		if a.Type == "AWS::CloudWatch::Alarm" && js(a.Properties["AlarmActions"]) != `["arn:aws:sns:eu-west-1:123456789012:keyport-alarms"]` {
			t.Errorf("alarm %s notifies %s, want the topic", id, js(a.Properties["AlarmActions"]))
		}
	}
}

// TestAlarms: per function errors, throttles and duration near the timeout; per API 5xx and
// the 4xx rate; DynamoDB throttles and system errors; sealer failures and unknown outcomes.
// Without a topic no alarm has an action.
func TestAlarms(t *testing.T) {
	doc := monitoring(t, defaultFixture(t))
	byMetric := map[string][]resource{}
	for id, r := range doc.Resources {
		if r.Type != "AWS::CloudWatch::Alarm" {
			continue
		}
		if _, ok := r.Properties["AlarmActions"]; ok {
			t.Errorf("alarm %s has actions %s, want none without a topic", id, js(r.Properties["AlarmActions"]))
		}
		if r.Properties["TreatMissingData"] != "notBreaching" || r.Properties["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" {
			t.Errorf("alarm %s: missing data %v, comparison %v", id, r.Properties["TreatMissingData"], r.Properties["ComparisonOperator"])
		}
		key := str(r.Properties["Namespace"]) + "/" + str(r.Properties["MetricName"])
		if key == "/" {
			key = "math:" + alarmExpression(r)
		}
		byMetric[key] = append(byMetric[key], r)
	}
	fns, apis := len(stack.FunctionNames()), 6
	for key, want := range map[string]struct {
		n         int
		threshold float64
	}{
		"AWS/Lambda/Errors":                      {fns, 1},
		"AWS/Lambda/Throttles":                   {fns, 1},
		"AWS/Lambda/Duration":                    {fns, 8000}, // 80% of the 10 s timeout
		"AWS/ApiGateway/5xx":                     {apis, 1},
		"math:IF(n > 0, 100 * e / n, 0)":         {apis, 50},
		"keyport/" + stack.SealerFailuresMetric:  {1, 1},
		"keyport/" + stack.UnknownOutcomesMetric: {1, 1},
	} {
		got := byMetric[key]
		if len(got) != want.n {
			t.Errorf("%s: got %d alarms, want %d", key, len(got), want.n)
		}
		for _, a := range got {
			if a.Properties["Threshold"] != want.threshold {
				t.Errorf("%s: threshold %v, want %v", key, a.Properties["Threshold"], want.threshold)
			}
		}
	}
	// The two DynamoDB alarms sum one metric over the store's operations.
	sums := map[string]int{}
	for key, alarms := range byMetric {
		if !strings.HasPrefix(key, "math:") || !strings.Contains(key, "+") {
			continue
		}
		for _, a := range alarms {
			names := map[string]bool{}
			for _, m := range a.Properties["Metrics"].([]any) {
				if name := str(dig(m, "MetricStat", "Metric", "MetricName")); name != "" {
					names[name] = true
				}
			}
			for name := range names {
				sums[name]++
			}
			if len(names) != 1 {
				t.Errorf("a DynamoDB alarm sums %v, want one metric", names)
			}
		}
	}
	if len(sums) != 2 || sums["ThrottledRequests"] != 1 || sums["SystemErrors"] != 1 {
		t.Errorf("DynamoDB alarms: got %v, want one on ThrottledRequests and one on SystemErrors", sums)
	}
}

// TestDashboardAndLogMetrics: one dashboard with a row per API; each function's log group
// feeds the two log-derived metrics with the documented patterns.
func TestDashboardAndLogMetrics(t *testing.T) {
	doc := monitoring(t, defaultFixture(t))
	boards, filters := 0, map[string]int{}
	for _, r := range doc.Resources {
		switch r.Type {
		case "AWS::CloudWatch::Dashboard":
			boards++
			body := js(r.Properties["DashboardBody"])
			for _, api := range []string{"Alibaba", "Gcore", "K5", "Barbican"} {
				if !strings.Contains(body, api) {
					t.Errorf("dashboard has no %s row", api)
				}
			}
		case "AWS::Logs::MetricFilter":
			name := str(dig(r.Properties["MetricTransformations"], "0", "MetricName"))
			pattern := str(r.Properties["FilterPattern"])
			want := map[string]string{
				stack.UnknownOutcomesMetric: `{ ($.log_type = "audit") && ($.outcome = "unknown") }`,
				stack.SealerFailuresMetric:  `{ $.cause = "*seal: *" }`,
			}[name]
			if pattern != want {
				t.Errorf("%s filter pattern %s, want %s", name, pattern, want)
			}
			filters[name]++
		}
	}
	if boards != 1 {
		t.Errorf("got %d dashboards, want 1", boards)
	}
	for _, name := range []string{stack.UnknownOutcomesMetric, stack.SealerFailuresMetric} {
		if filters[name] != len(stack.FunctionNames()) {
			t.Errorf("%s: got %d metric filters, want one per function (%d)", name, filters[name], len(stack.FunctionNames()))
		}
	}
}

// alarmExpression is the expression of a metric-math alarm's returned metric.
func alarmExpression(r resource) string {
	metrics, _ := r.Properties["Metrics"].([]any)
	for _, m := range metrics {
		if e, ok := m.(map[string]any)["Expression"].(string); ok {
			return e
		}
	}
	return ""
}

// dig follows keys (a decimal key indexes a list) into a decoded template value.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := int(k[0] - '0')
			if len(k) != 1 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func ofType(doc templateDoc, typ string) map[string]resource {
	out := map[string]resource{}
	for id, r := range doc.Resources {
		if r.Type == typ {
			out[id] = r
		}
	}
	return out
}

// TestAuditTrail: every function's audit events go to one encrypted delivery stream that
// unpacks them into a versioned, access-logged bucket whose objects Object Lock keeps in
// compliance mode for the retention; the stream's role cannot delete.
func TestAuditTrail(t *testing.T) {
	doc := auditTrail(t, defaultFixture(t))
	var archiveID string
	for id, b := range ofType(doc, "AWS::S3::Bucket") {
		if b.Properties["ObjectLockEnabled"] != true {
			continue
		}
		archiveID = id
		if got := js(b.Properties["ObjectLockConfiguration"]); got != `{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Days":2555,"Mode":"COMPLIANCE"}}}` {
			t.Errorf("archive object lock %s, want compliance for 2555 days", got)
		}
		if js(b.Properties["VersioningConfiguration"]) != `{"Status":"Enabled"}` || b.Properties["LoggingConfiguration"] == nil || b.DeletionPolicy != "Retain" {
			t.Errorf("archive: versioning %s, logging %s, deletion %q; want enabled, on, Retain",
				js(b.Properties["VersioningConfiguration"]), js(b.Properties["LoggingConfiguration"]), b.DeletionPolicy)
		}
	}
	if archiveID == "" {
		t.Fatal("no bucket with Object Lock")
	}
	streams := ofType(doc, "AWS::KinesisFirehose::DeliveryStream")
	if len(streams) != 1 {
		t.Fatalf("got %d delivery streams, want 1", len(streams))
	}
	var streamID string
	for id, st := range streams {
		streamID = id
		dest := st.Properties["ExtendedS3DestinationConfiguration"]
		if got := js(dig(dest, "BucketARN")); got != js(getAtt(archiveID, "Arn")) {
			t.Errorf("stream delivers to %s, want the archive", got)
		}
		procs := js(dig(dest, "ProcessingConfiguration"))
		if !strings.Contains(procs, "Decompression") || !strings.Contains(procs, "CloudWatchLogProcessing") {
			t.Errorf("stream processing %s, want decompression and CloudWatch Logs extraction", procs)
		}
		if got := js(dig(st.Properties, "DeliveryStreamEncryptionConfigurationInput", "KeyType")); got != `"AWS_OWNED_CMK"` {
			t.Errorf("stream encryption %s, want AWS_OWNED_CMK", got)
		}
	}
	subs := ofType(doc, "AWS::Logs::SubscriptionFilter")
	if len(subs) != len(stack.FunctionNames()) {
		t.Errorf("got %d subscription filters, want one per function (%d)", len(subs), len(stack.FunctionNames()))
	}
	for id, sub := range subs {
		if sub.Properties["FilterPattern"] != `{ $.log_type = "audit" }` || js(sub.Properties["DestinationArn"]) != js(getAtt(streamID, "Arn")) {
			t.Errorf("%s: pattern %v to %s, want the audit events to the stream", id, sub.Properties["FilterPattern"], js(sub.Properties["DestinationArn"]))
		}
	}
	for id, r := range doc.Resources {
		if (r.Type == "AWS::IAM::Role" || r.Type == "AWS::IAM::Policy") && strings.Contains(js(r.Properties), "s3:Delete") {
			t.Errorf("%s may delete from S3", id)
		}
	}
}
