package tencent

import (
	"context"
	"reflect"
	"strings"

	"keyport/shared/policy"
)

// API is one Tencent Cloud API keyport serves: the service its signatures are scoped to (the
// TC3 credential scope), its version (X-TC-Version), and the parameter naming the resource an
// action acts on, which a credential's policy is asked about (docs/policies.md).
type API struct{ Service, Version, Resource string }

// The APIs keyport serves (docs/wire/tencent.md, "Services and hosts").
var (
	APIGateway = API{Service: "apigateway", Version: "2018-08-08", Resource: "AccessKeyId"}
	EdgeOne    = API{Service: "teo", Version: "2022-09-01", Resource: "ZoneId"}
)

// Params is an action's parameters: a struct that Decode fills from the body, whose Check
// applies the action's rules to it (and may fill in defaults).
type Params interface{ Check() error }

// params is a pointer to R that is Params.
type params[R any] interface {
	*R
	Params
}

// Parse decodes body into a new R (see Decode) and checks it (R's Check).
func Parse[R any, P params[R]](body []byte) (P, error) {
	p := P(new(R))
	if err := Decode(body, p); err != nil {
		return p, err
	}
	return p, p.Check()
}

// Op is the action name of api, whose own part is act. The router authenticates the call;
// the action then decodes the body into R and checks it (Parse), asks the caller's policy
// (policy.Authorize) about the action "tencent:<name>" on the resource the parameter
// api.Resource names (policy.Any when the action has no such parameter or it was not sent),
// and only a request that passed all three reaches act, whose result (a value that marshals to
// a JSON object) or error the router renders. Decoding reads nothing stored, so a denied
// caller learns only whether its own request was well formed. An operation package so holds
// its parameters, their Check, act and act's result.
func Op[R any, P params[R]](api API, name string, act func(ctx context.Context, c Call, p P) (any, error)) Action {
	action := "tencent:" + name
	field := resourceField(reflect.TypeFor[R](), api.Resource)
	return Action{Name: name, Service: api.Service, Version: api.Version, Handle: func(ctx context.Context, c Call) (any, error) {
		p, err := Parse[R, P](c.Body)
		if err != nil {
			return nil, err
		}
		resource := policy.Any
		if field != nil {
			if v := reflect.ValueOf(p).Elem().FieldByIndex(field).String(); v != "" {
				resource = v
			}
		}
		ctx = policy.WithAction(ctx, action)
		if err := policy.Authorize(ctx, resource, c.Policy); err != nil {
			return nil, err
		}
		return act(ctx, c, p)
	}}
}

// resourceField is the index of t's string field whose JSON name is name, or nil.
func resourceField(t reflect.Type, name string) []int {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name && f.Type.Kind() == reflect.String {
			return f.Index
		}
	}
	return nil
}
