//go:build invoke

package invoke

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/events"
	"keyport/functions"
	"keyport/shared/motoserver"
)

// stackName is the stack the CDK app synthesizes (infra/stack.StackName; infra is its own
// module, so the name is repeated here).
const stackName = "KeyportStack"

// Where `make invoke-test` puts things, relative to this package; the variables override.
var (
	cdkOutDir  = envOr("KEYPORT_INVOKE_CDK_OUT", "../../dist/.invoke/cdk.out") // synthesized over the host-arch build
	shippedDir = envOr("KEYPORT_INVOKE_SHIPPED", "../../dist/lambda")          // `make build`'s arm64 binary
)

func TestMain(m *testing.M) {
	code := m.Run()
	motoserver.Stop()
	os.Exit(code)
}

// harness is what every invocation shares: the template, moto and the resources on it.
type harness struct {
	tpl   template
	fns   map[string]*lambdaFunction
	moto  string
	cloud cloud
}

func newHarness(t *testing.T, document string) *harness {
	t.Helper()
	dir, err := filepath.Abs(cdkOutDir)
	if err != nil {
		t.Fatal(err)
	}
	tpl, fns, err := readTemplate(dir, stackName)
	if err != nil {
		t.Fatalf("read the synthesized template (run `make invoke-test`, which builds and synthesizes first): %v", err)
	}
	h := &harness{tpl: tpl, fns: fns, moto: motoserver.Start(t)}
	h.cloud = newCloud(t, h.moto, document)
	return h
}

// environment is function's environment as the Lambda service builds it: the template's
// variables resolved against moto, override replacing single ones after resolution, then the
// variables Lambda sets itself (base), which the template must not set.
func (h *harness) environment(t *testing.T, function string, override, base map[string]string) map[string]string {
	t.Helper()
	env, err := h.tpl.resolve(h.fns[function], h.cloud)
	if err != nil {
		t.Fatalf("%s environment: %v", function, err)
	}
	for k, v := range override {
		env[k] = v
	}
	for k, v := range env {
		if _, reserved := base[k]; reserved {
			t.Fatalf("%s: the template sets reserved variable %s", function, k)
		}
		base[k] = v
	}
	return base
}

// function is function's template entry; the test fails when there is none.
func (h *harness) function(t *testing.T, function string) *lambdaFunction {
	t.Helper()
	fn, ok := h.fns[function]
	if !ok {
		t.Fatalf("got no %s function in the template, want one per event", function)
	}
	return fn
}

// start runs function under the Runtime Interface Emulator, with the template's environment,
// memory size and timeout; override replaces single variables.
func (h *harness) start(t *testing.T, function string, override map[string]string) *emulated {
	t.Helper()
	fn := h.function(t, function)
	return startRIE(t, fn, h.environment(t, function, override, rieEnv(fn, h.moto)))
}

// startRuntimeAPI runs function's bootstrap directly against the in-test Runtime API, for what
// the emulator does not do: show whether a failed cold start asked for an event and what it
// posted to init/error (coldstart_test.go), and hand the function a trace header
// (trace_test.go).
func (h *harness) startRuntimeAPI(t *testing.T, function string, override map[string]string) (*process, *runtimeAPI) {
	t.Helper()
	fn := h.function(t, function)
	api := newRuntimeAPI(function)
	p := startProcess(t, fn, []string{filepath.Join(fn.assetDir, "bootstrap")},
		h.environment(t, function, override, lambdaEnv(fn, api.addr(), h.moto)))
	// Cleanups run last-in first-out: the process is killed, then the Runtime API closed.
	t.Cleanup(api.close)
	t.Cleanup(p.stop)
	return p, api
}

// traceHeader is the X-Ray trace header the in-test Runtime API hands the function
// (trace_test.go); traceID is its Root, which each request's log line and audit event must
// carry. The emulator hands the function no trace header: its standalone build traces nothing
// and drops the X-Amzn-Trace-Id of an invocation.
const (
	traceID     = "1-5759e988-bd862e3fe1be46a994272793"
	traceHeader = "Root=" + traceID + ";Parent=53995c3f42cd8ad8;Sampled=1"
)

// invoke sends one event and returns the API Gateway response the function produced.
func invoke(t *testing.T, e *emulated, event []byte) (awsevents.APIGatewayV2HTTPResponse, outcome) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard, not a measurement
	defer cancel()
	out, err := e.invoke(ctx, event)
	if err != nil {
		t.Fatalf("invoke %s: %v", e.fn.name, err)
	}
	if out.errorType != "" {
		t.Fatalf("got function error %s %s, want an API Gateway response", out.errorType, out.body)
	}
	var resp awsevents.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out.body, &resp); err != nil {
		t.Fatalf("got response %s, want an API Gateway payload 2.0 response: %v", out.body, err)
	}
	return resp, out
}

// signedEvent is function's event from events/, signed now where its vendor needs that.
func signedEvent(t *testing.T, function string) []byte {
	t.Helper()
	raw, err := events.Load(function)
	if err != nil {
		t.Fatalf("got no event for %s: %v", function, err)
	}
	signed, err := events.Sign(raw, time.Now())
	if err != nil {
		t.Fatalf("sign %s: %v", function, err)
	}
	return signed
}

// TestInvoke runs every function of the operations table, in table order, under the Runtime
// Interface Emulator, and logs each binary's size, the cold start (emulator start to first
// response), each invocation's duration as the emulator reports it (the first one includes the
// bootstrap's init), and the bootstrap's peak memory, which must stay within the template's
// memory size (the emulator passes the size on but does not enforce it).
func TestInvoke(t *testing.T) {
	h := newHarness(t, devDocument(t))
	if got, want := sortedKeys(h.fns), events.Functions(); !slices.Equal(got, want) {
		t.Errorf("got functions %v in the template, want %v (one per event)", got, want)
	}
	var chain chained
	for _, name := range functions.Names() {
		steps := cases[name]
		if len(steps) == 0 {
			steps = keyManagerSteps(name)
		}
		if len(steps) == 0 {
			steps = keyManagerACLSteps(name)
		}
		if len(steps) == 0 {
			steps = identityCases[name]
		}
		if len(steps) == 0 {
			steps = []step{{check: checkAnswers}}
		}
		t.Run(name, func(t *testing.T) {
			fn := h.fns[name]
			if fn == nil {
				t.Fatalf("got no %s in the template", name)
			}
			checkFunctionProps(t, fn)
			e := h.start(t, name, nil)
			var first time.Duration
			for i, step := range steps {
				event := signedEvent(t, name)
				if step.event != nil {
					event = step.event(t, event, &chain)
				}
				resp, out := invoke(t, e, event)
				if i == 0 {
					first = out.at.Sub(e.p.started)
				}
				step.check(t, resp, &chain)
			}
			pid := e.bootstrapPID()
			if pid == 0 {
				t.Fatalf("got no bootstrap under the emulator after answering, want it waiting for the next event")
			}
			peak, err := peakRSS(pid)
			if err != nil {
				t.Fatal(err)
			}
			if peak > float64(fn.props.MemorySize) {
				t.Errorf("got a peak of %.0f MiB, want at most the template's %d MB", peak, fn.props.MemorySize)
			}
			e.p.stop() // so its output is complete
			out := e.p.out.String()
			durations := reportDurations(out)
			if len(durations) != len(steps) {
				t.Fatalf("got %d REPORT lines from the emulator, want %d", len(durations), len(steps))
			}
			t.Logf("%s under RIE: emulator start to first response %v; REPORT durations: cold %.1f ms, warm %v ms; peak %.0f MiB of %d MB; timeout %d s",
				name, first.Round(time.Millisecond), durations[0], durations[1:], peak, fn.props.MemorySize, fn.props.Timeout)
			checkLog(t, out, lookup(t, name), len(steps), "")
			logSizes(t, fn)
		})
	}
	for name := range cases {
		if _, ok := functions.Lookup(name); !ok {
			t.Errorf("cases has %s, which the operations table does not", name)
		}
	}
}

// checkFunctionProps checks what the Lambda service needs to run a provided.al2023 Go binary.
func checkFunctionProps(t *testing.T, fn *lambdaFunction) {
	t.Helper()
	if fn.props.Runtime != "provided.al2023" || !slices.Equal(fn.props.Architectures, []string{"arm64"}) || fn.props.Handler == "" {
		t.Errorf("got runtime %q architectures %v handler %q, want provided.al2023 on arm64 with a handler",
			fn.props.Runtime, fn.props.Architectures, fn.props.Handler)
	}
	if _, err := os.Stat(filepath.Join(fn.assetDir, "bootstrap")); err != nil {
		t.Fatalf("got no bootstrap in the asset: %v", err)
	}
}

// checkLog checks the function's stdout has one JSON request line and one audit event, of one
// of its operations, per invocation, each with trace as its trace_id (none when trace is "").
func checkLog(t *testing.T, out string, fn functions.Function, invocations int, trace string) {
	t.Helper()
	ops := map[string]bool{fn.LogName(): true}
	for _, op := range fn.Operations {
		ops[op.Name] = true
	}
	lines, events := 0, 0
	for line := range strings.Lines(out) {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil {
			continue
		}
		if got, present := rec["trace_id"]; (rec["msg"] == "request" || rec["log_type"] == "audit") &&
			(trace == "" && present || trace != "" && got != trace) {
			t.Errorf("got trace_id %v in %s, want %q", got, line, trace)
		}
		switch {
		case rec["msg"] == "request" && rec["op"] == fn.LogName():
			lines++
		case rec["log_type"] == "audit":
			events++
			if op, _ := rec["operation"].(string); !ops[op] || rec["dialect"] != string(fn.Dialect) {
				t.Errorf("got an audit event for %v (dialect %v), want one of %s's operations", rec["operation"], rec["dialect"], fn.Name)
			}
		}
	}
	if lines != invocations || events != invocations {
		t.Errorf("got %d request log lines and %d audit events for %s, want %d of each; output:\n%s", lines, events, fn.Name, invocations, out)
	}
}

// logSizes reports the shipped arm64 binary and the host binary the harness ran.
func logSizes(t *testing.T, fn *lambdaFunction) {
	t.Helper()
	host, err := os.Stat(filepath.Join(fn.assetDir, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := os.Stat(filepath.Join(shippedDir, "bootstrap"))
	if err != nil {
		t.Errorf("got no shipped binary (run `make build`): %v", err)
		return
	}
	t.Logf("%s: shipped linux/arm64 bootstrap %s; host bootstrap run here %s", fn.name, size(shipped.Size()), size(host.Size()))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// replaceAll is bytes.ReplaceAll for strings, for rewriting ids in an event.
func replaceAll(event []byte, old, new string) []byte {
	return bytes.ReplaceAll(event, []byte(old), []byte(new))
}

// lookup returns function from the operations table.
func lookup(t *testing.T, function string) functions.Function {
	t.Helper()
	fn, ok := functions.Lookup(function)
	if !ok {
		t.Fatalf("function %s is not in the operations table", function)
	}
	return fn
}
