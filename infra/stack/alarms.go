package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"keyport/functions"
)

// Log-derived metrics, in the audit metric's namespace, summed over every function.
const (
	// UnknownOutcomesMetric counts audit events whose outcome is "unknown": the time budget ran
	// out in a backend call that may have taken effect (docs/operations-under-load.md).
	UnknownOutcomesMetric = "UnknownOutcomes"
	// SealerFailuresMetric counts request log lines whose cause is the sealer's: KMS refused,
	// failed or timed out (a tampered blob counts too: Open tells no cause apart).
	SealerFailuresMetric = "SealerFailures"
)

// alarmPeriod is every alarm's window: one breaching five minutes alarms.
const alarmPeriod = 5

// durationAlarmShare is the share of the timeout at which a function's slowest invocation in a
// window alarms: past it, one more slow backend call ends the invocation at its timeout.
const durationAlarmShare = 0.8

// clientErrorAlarmPercent is the share of an API's requests answered 4xx that alarms: vendor
// SDKs retry nothing on 4xx, so half of all answers refused means a broken client or a probe.
const clientErrorAlarmPercent = 50

// monitored is what the alarms and the dashboard watch.
type monitored struct {
	functions map[string]awslambda.Function
	apis      map[string]deployedAPI
	table     awsdynamodb.Table
}

// newAlarms defines every alarm and returns them by construct id; each notifies p.AlarmTopicARN
// when one is set.
func newAlarms(scope constructs.Construct, p Props, m monitored) map[string]awscloudwatch.Alarm {
	alarms := map[string]awscloudwatch.Alarm{}
	add := func(id string, metric awscloudwatch.IMetric, threshold float64, what string) {
		a := awscloudwatch.NewAlarm(scope, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String("keyport: " + what),
			Metric:             metric,
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		if p.AlarmTopicARN != "" {
			topic := awssns.Topic_FromTopicArn(scope, jsii.String(id+"-topic"), jsii.String(p.AlarmTopicARN))
			a.AddAlarmAction(awscloudwatchactions.NewSnsAction(topic))
		}
		alarms[id] = a
	}
	window := &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriod)), Statistic: jsii.String("Sum")}
	slowest := &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriod)), Statistic: jsii.String("Maximum")}
	for _, f := range functions.Functions() {
		fn := m.functions[f.Name]
		add(f.Name+"-errors", fn.MetricErrors(window), 1, f.Name+" invocations failed")
		add(f.Name+"-throttles", fn.MetricThrottles(window), 1, f.Name+" invocations throttled (reserved concurrency or account limit)")
		add(f.Name+"-duration", fn.MetricDuration(slowest), durationAlarmShare*timeoutSeconds*1000, f.Name+" ran near its timeout")
	}
	for _, s := range services() {
		api := m.apis[s.id].api
		add(s.id+"-5xx", api.MetricServerError(window), 1, s.id+" API answered 5xx")
		rate := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression:   jsii.String("IF(n > 0, 100 * e / n, 0)"),
			UsingMetrics: &map[string]awscloudwatch.IMetric{"e": api.MetricClientError(window), "n": api.MetricCount(window)},
			Label:        jsii.String(s.id + " 4xx %"),
			Period:       awscdk.Duration_Minutes(jsii.Number(alarmPeriod)),
		})
		add(s.id+"-4xx-rate", rate, clientErrorAlarmPercent, s.id+" API answered 4xx to half its requests or more")
	}
	ops := &awsdynamodb.OperationsMetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriod)), Operations: &tableOperations}
	add("table-throttles", m.table.MetricThrottledRequestsForOperations(ops), 1, "DynamoDB throttled requests")
	add("table-system-errors", m.table.MetricSystemErrorsForOperations(&awsdynamodb.SystemErrorsForOperationsMetricOptions{Period: ops.Period, Operations: ops.Operations}), 1, "DynamoDB system errors")
	add("sealer-failures", logMetric(SealerFailuresMetric, window), 1, "sealer (KMS) failures")
	add("unknown-outcomes", logMetric(UnknownOutcomesMetric, window), 1, "requests whose outcome is unknown (time budget spent in a backend call)")
	return alarms
}

// tableOperations are the DynamoDB operations the store makes.
var tableOperations = []awsdynamodb.Operation{
	awsdynamodb.Operation_GET_ITEM, awsdynamodb.Operation_PUT_ITEM, awsdynamodb.Operation_UPDATE_ITEM,
	awsdynamodb.Operation_DELETE_ITEM, awsdynamodb.Operation_QUERY, awsdynamodb.Operation_TRANSACT_WRITE_ITEMS,
}

// logMetric is a log-derived metric summed over every function.
func logMetric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace: jsii.String(AuditNamespace), MetricName: jsii.String(name),
		Period: opts.Period, Statistic: opts.Statistic,
	})
}

// newLogMetrics counts f's unknown outcomes (from its audit events) and sealer failures (from
// its request log), with no dimension, so one alarm watches every function.
func newLogMetrics(scope constructs.Construct, f functions.Function, logs awslogs.ILogGroup) {
	for id, pattern := range map[string]awslogs.IFilterPattern{
		UnknownOutcomesMetric: awslogs.FilterPattern_All(
			awslogs.FilterPattern_StringValue(jsii.String("$.log_type"), jsii.String("="), jsii.String("audit")),
			awslogs.FilterPattern_StringValue(jsii.String("$.outcome"), jsii.String("="), jsii.String("unknown"))),
		SealerFailuresMetric: awslogs.FilterPattern_StringValue(jsii.String("$.cause"), jsii.String("="), jsii.String("*seal: *")),
	} {
		awslogs.NewMetricFilter(scope, jsii.String(f.Name+"-"+id), &awslogs.MetricFilterProps{
			LogGroup:        logs,
			FilterPattern:   pattern,
			MetricNamespace: jsii.String(AuditNamespace),
			MetricName:      jsii.String(id),
			MetricValue:     jsii.String("1"),
		})
	}
}

// newDashboard draws one row per vendor API (its requests and 4xx/5xx, and its functions'
// invocations, errors, throttles and slowest duration), then the table and the log metrics.
func newDashboard(scope constructs.Construct, m monitored) awscloudwatch.Dashboard {
	d := awscloudwatch.NewDashboard(scope, jsii.String("dashboard"), &awscloudwatch.DashboardProps{
		DashboardName: jsii.String("keyport"),
	})
	window := &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriod)), Statistic: jsii.String("Sum")}
	slowest := &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriod)), Statistic: jsii.String("Maximum")}
	for _, s := range services() {
		api := m.apis[s.id].api
		var invocations, failures, durations []awscloudwatch.IMetric
		for _, name := range functionsOf(s) {
			fn := m.functions[name]
			invocations = append(invocations, fn.MetricInvocations(window))
			failures = append(failures, fn.MetricErrors(window), fn.MetricThrottles(window))
			durations = append(durations, fn.MetricDuration(slowest))
		}
		d.AddWidgets(
			graph(s.id+" API requests, 4xx, 5xx", api.MetricCount(window), api.MetricClientError(window), api.MetricServerError(window)),
			graph(s.id+" invocations", invocations...),
			graph(s.id+" errors and throttles", failures...),
			graph(s.id+" slowest invocation (ms)", durations...),
		)
	}
	ops := &awsdynamodb.OperationsMetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriod)), Operations: &tableOperations}
	d.AddWidgets(
		// Two graphs: the two sums name their per-operation metrics alike.
		graph("DynamoDB throttled requests", m.table.MetricThrottledRequestsForOperations(ops)),
		graph("DynamoDB system errors", m.table.MetricSystemErrorsForOperations(&awsdynamodb.SystemErrorsForOperationsMetricOptions{Period: ops.Period, Operations: ops.Operations})),
		graph("Sealer failures and unknown outcomes", logMetric(SealerFailuresMetric, window), logMetric(UnknownOutcomesMetric, window)),
	)
	return d
}

func graph(title string, metrics ...awscloudwatch.IMetric) awscloudwatch.GraphWidget {
	return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
		Title: jsii.String(title), Left: &metrics, Width: jsii.Number(6),
	})
}

// functionsOf lists the functions s routes to, once each, in route order.
func functionsOf(s service) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range s.routes {
		if !seen[r.function] {
			seen[r.function] = true
			out = append(out, r.function)
		}
	}
	return out
}
