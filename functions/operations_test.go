package functions

import (
	"strings"
	"testing"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
)

// TestTable checks every row is complete and consistent with the rows it shares a function with.
func TestTable(t *testing.T) {
	names := map[string]bool{}
	for _, op := range Operations {
		if names[op.Name] {
			t.Errorf("%s: name used twice", op.Name)
		}
		names[op.Name] = true
		if !strings.HasPrefix(op.Name, string(op.Dialect)+".") {
			t.Errorf("%s: name does not start with its dialect %q", op.Name, op.Dialect)
		}
		if op.Function == "" || op.API == "" || op.Service == "" || (op.Store == 0) != (op.Dialect == operation.Identity) {
			t.Errorf("%s: Function, API, Service and Store are all required (identity operations use no store)", op.Name)
		}
		method, path, ok := strings.Cut(op.Route, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") {
			t.Errorf("%s: route %q is not \"METHOD /path\"", op.Name, op.Route)
		}
		tencentRow := op.Dialect == operation.Tencent
		if tencentRow != (op.NewAction != nil) || tencentRow == (op.New != nil) || tencentRow != (op.Action != "") {
			t.Errorf("%s: a Tencent row has Action and NewAction, any other row New only", op.Name)
		}
		if tencentRow && op.Route != "POST /" {
			t.Errorf("%s: got route %q, want Tencent's POST /", op.Name, op.Route)
		}
	}
	for _, fn := range Functions() {
		for _, op := range fn.Operations {
			if op.API != fn.API || op.Dialect != fn.Dialect || op.Service != fn.Service {
				t.Errorf("function %s: %s differs from its first operation in API, dialect or service", fn.Name, op.Name)
			}
			if len(fn.Operations) > 1 && fn.Dialect != operation.Tencent {
				t.Errorf("function %s: only a Tencent service's actions may share a function", fn.Name)
			}
		}
	}
}

// TestEveryFunctionBuilds builds every handler on a real local store and key, and mounts every
// route on one ServeMux per dialect, which panics on a conflict.
func TestEveryFunctionBuilds(t *testing.T) {
	data := localdatatest.Open(t)
	deps := operation.Deps{Store: data.Store, Sealer: data.Sealer, Creds: credentials.Dev(), Now: time.Now}
	byDialect := map[operation.Dialect][]operation.Row{}
	for _, fn := range Functions() {
		if fn.Handler(deps) == nil {
			t.Errorf("%s: got a nil handler", fn.Name)
		}
		if fn.Dialect != operation.Tencent {
			byDialect[fn.Dialect] = append(byDialect[fn.Dialect], fn.Operations...)
		}
	}
	for dialect, rows := range byDialect {
		operation.Mux(dialect, rows, deps, operation.Wrappers{})
	}
	if got, ok := Lookup("gcore-gettask"); !ok || got.UsesKMS() || got.Store() == 0 {
		t.Errorf("Lookup(gcore-gettask): got %+v, %v; want a function without KMS", got, ok)
	}
	if _, ok := Lookup("nothing"); ok {
		t.Error("Lookup(nothing): got a function, want none")
	}
}

// TestTencentRowsNameTheirActions: a Tencent row's Action (what the stack, the events and the
// dispatcher route on) is the name of the action it builds, and its Name is tencent.<Action>.
func TestTencentRowsNameTheirActions(t *testing.T) {
	data := localdatatest.Open(t)
	deps := operation.Deps{Store: data.Store, Sealer: data.Sealer, Creds: credentials.Dev(), Now: time.Now}
	for _, op := range Operations {
		if op.Dialect != operation.Tencent {
			continue
		}
		if got := op.TencentAction(deps).Name; got != op.Action || op.Name != "tencent."+op.Action {
			t.Errorf("row %s: got action %q built for Action %q, want all three to agree", op.Name, got, op.Action)
		}
	}
}
