package functions_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/events"
	"keyport/functions"
	"keyport/shared/credentials"
	"keyport/shared/lambdaapp"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// writes counts the transactions that reach the real store.
type writes struct {
	store.Store
	n int
}

func (w *writes) Apply(ctx context.Context, tx store.Tx) error {
	w.n++
	return w.Store.Apply(ctx, tx)
}

// TestUndeclaredCallsFail proves that a row's declaration is enforced, so that the IAM policy
// the stack derives from it is exercised by every test: each create function answers its event
// when its rows are as declared, and fails as AWS would deny it (a server error, nothing
// written) once any one store call or KMS call it makes is taken out of its row.
func TestUndeclaredCallsFail(t *testing.T) {
	// sealing: whether the event's request carries a value (upstream Barbican's event creates a
	// secret without a payload, to be given one later, and so makes no KMS call).
	for name, sealing := range map[string]bool{"alibaba-createsecret": true, "gcore-createsecret": true,
		"k5-createsecret": true, "barbican-createsecret": false, "tencent-apigateway": true, "tencent-teo": true} {
		t.Run(name, func(t *testing.T) {
			fn, ok := functions.Lookup(name)
			if !ok {
				t.Fatalf("no function %s", name)
			}
			if status, body, n := invokeEvent(t, fn); status >= 300 || isTencentError(body) || n != 1 {
				t.Fatalf("as declared: got %d %s after %d writes, want success and one write", status, body, n)
			}
			create := fn.Operations[0]
			for _, less := range narrowed(create, sealing) {
				t.Run(less.what, func(t *testing.T) {
					fn := fn
					fn.Operations = append([]operation.Row{less.row}, fn.Operations[1:]...)
					status, body, n := invokeEvent(t, fn)
					if (status < 500 && !strings.Contains(body, `"InternalError"`)) || n != 0 {
						t.Errorf("got %d %s after %d writes, want a server error and none", status, body, n)
					}
				})
			}
		})
	}
}

type narrowing struct {
	what string
	row  operation.Row
}

// narrowed is row once without each store call it declares, and without GenerateDataKey.
func narrowed(row operation.Row, sealing bool) []narrowing {
	var out []narrowing
	for bit := store.NeedGet; bit <= store.NeedCount; bit <<= 1 {
		if row.Store.Has(bit) {
			r := row
			r.Store &^= bit
			out = append(out, narrowing{"without " + bit.String(), r})
		}
	}
	if sealing {
		r := row
		r.Seals = false
		out = append(out, narrowing{"without GenerateDataKey", r})
	}
	return out
}

// invokeEvent runs fn's event, freshly signed, through the Lambda adapter on a new local store,
// and returns the status, the body and how many transactions reached the store.
func invokeEvent(t *testing.T, fn functions.Function) (int, string, int) {
	t.Helper()
	raw, err := events.Load(fn.Name)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err = events.Sign(raw, time.Now()); err != nil {
		t.Fatal(err)
	}
	var ev awsevents.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	data := localdatatest.Open(t)
	st := &writes{Store: data.Store}
	deps := operation.Deps{Store: st, Sealer: data.Sealer, Creds: credentials.Dev()}
	resp, err := lambdaapp.Proxy(fn.Handler(deps))(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Body, st.n
}

// isTencentError reports whether body is Tencent's error envelope, which comes with HTTP 200.
func isTencentError(body string) bool { return strings.Contains(body, `"Error":{`) }
