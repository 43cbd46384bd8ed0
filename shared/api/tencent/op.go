package tencent

import "context"

// API is one Tencent Cloud API keyport serves: the service its signatures are scoped to (the
// TC3 credential scope) and its version (X-TC-Version).
type API struct{ Service, Version string }

// The APIs keyport serves (docs/wire/tencent.md, "Services and hosts").
var (
	APIGateway = API{Service: "apigateway", Version: "2018-08-08"}
	EdgeOne    = API{Service: "teo", Version: "2022-09-01"}
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
// the action then decodes the body into R and checks it (Parse), and only a request that passed
// both reaches act, whose result (a value that marshals to a JSON object) or error the router
// renders. An operation package so holds its parameters, their Check, act and act's result.
func Op[R any, P params[R]](api API, name string, act func(ctx context.Context, c Call, p P) (any, error)) Action {
	return Action{Name: name, Service: api.Service, Version: api.Version, Handle: func(ctx context.Context, c Call) (any, error) {
		p, err := Parse[R, P](c.Body)
		if err != nil {
			return nil, err
		}
		return act(ctx, c, p)
	}}
}
