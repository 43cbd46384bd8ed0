package functions

import (
	"net/http"
	"slices"
	"strings"

	"keyport/shared/operation"
	"keyport/shared/store"
)

// Function is one Lambda: the operations that share it (one, or the actions of one Tencent
// service) and what they need together.
type Function struct {
	Name       string
	API        string
	Dialect    operation.Dialect
	Service    string
	Operations []operation.Row
}

// Functions groups the table by Function, in table order.
func Functions() []Function {
	var fns []Function
	index := map[string]int{}
	for _, op := range Operations {
		i, ok := index[op.Function]
		if !ok {
			i = len(fns)
			index[op.Function] = i
			fns = append(fns, Function{Name: op.Function, API: op.API, Dialect: op.Dialect, Service: op.Service})
		}
		fns[i].Operations = append(fns[i].Operations, op)
	}
	return fns
}

// Lookup returns the function called name.
func Lookup(name string) (Function, bool) {
	for _, f := range Functions() {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}

// Names returns every function's name, in table order.
func Names() []string {
	var names []string
	for _, f := range Functions() {
		names = append(names, f.Name)
	}
	return names
}

// LogName names the function in request log lines and, until a request resolves to one of
// its operations, in audit events: its operation's name ("alibaba.CreateSecret"), or for a
// Tencent service "tencent.<service>" ("tencent.apigateway"), whose router then names the
// action each request resolved to.
func (f Function) LogName() string {
	if f.Dialect != operation.Tencent {
		return f.Operations[0].Name
	}
	return string(f.Dialect) + "." + strings.TrimPrefix(f.Name, string(f.Dialect)+"-")
}

// Routes returns the distinct routes of the function's operations, aliases included, in table
// order.
func (f Function) Routes() []string {
	var routes []string
	for _, op := range f.Operations {
		for _, r := range []string{op.Route, op.Alias} {
			if r != "" && !slices.Contains(routes, r) {
				routes = append(routes, r)
			}
		}
	}
	return routes
}

// Store is every store call the function's operations make.
func (f Function) Store() store.Need {
	var n store.Need
	for _, op := range f.Operations {
		n |= op.Store
	}
	return n
}

// Seals reports whether any operation encrypts a secret value.
func (f Function) Seals() bool { return f.any(func(op operation.Row) bool { return op.Seals }) }

// Opens reports whether any operation decrypts a secret value.
func (f Function) Opens() bool { return f.any(func(op operation.Row) bool { return op.Opens }) }

// UsesKMS reports whether the function needs a KMS key at all.
func (f Function) UsesKMS() bool { return f.Seals() || f.Opens() }

// Quota reports whether any operation counts against the Tencent API key limit.
func (f Function) Quota() bool { return f.any(func(op operation.Row) bool { return op.Quota }) }

func (f Function) any(pred func(operation.Row) bool) bool {
	return slices.ContainsFunc(f.Operations, pred)
}

// Handler builds the function's handler on d: a Tencent service's router over its actions, or
// the function's routes on one mux (operation.Mux). Each operation gets d restricted to what
// its row declares (operation.Row.Restrict).
func (f Function) Handler(d operation.Deps) http.Handler {
	if f.Dialect == operation.Tencent {
		return operation.TencentRouter(f.Operations, d)
	}
	return operation.Mux(f.Dialect, f.Operations, d, operation.Wrappers{})
}
