package gcore_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"keyport/events"
	"keyport/functions"
	"keyport/functions/gcore"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
)

// request is what an event says of the client's request: everything a row's Example decides.
// (The request id, time and JSON spelling are events.Render's own.)
type request struct {
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	PathParameters        map[string]string `json:"pathParameters"`
	Body                  string            `json:"body"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

// TestEventsAreTheRowsExamples: the request in every Gcore function's stored event is the one
// events.Render makes of its row's Example, so `make events` writes the same requests.
func TestEventsAreTheRowsExamples(t *testing.T) {
	for _, row := range gcore.Rows {
		t.Run(row.Function, func(t *testing.T) {
			fn, ok := functions.Lookup(row.Function)
			if !ok {
				t.Fatalf("no function %s", row.Function)
			}
			rendered, err := events.Render(fn)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := events.Load(row.Function)
			if err != nil {
				t.Fatal(err)
			}
			var got, want request
			if err := json.Unmarshal(rendered, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(stored, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rendered request differs from events/%s.json:\ngot  %+v\nwant %+v", row.Function, got, want)
			}
		})
	}
}

// TestMissingDependencyPanics: a Gcore row built without its credentials book or store is a
// wiring mistake, refused when the handler is built (Row.Restrict's one policy), not a 500
// at the first request.
func TestMissingDependencyPanics(t *testing.T) {
	for _, row := range gcore.Rows {
		full := operation.Deps{Store: gcoretest.Store(t), Sealer: gcoretest.Sealer(t), Creds: gcoretest.Book(t)}
		noCreds, noStore := full, full
		noCreds.Creds, noStore.Store = nil, nil
		for name, d := range map[string]operation.Deps{"no credentials book": noCreds, "no store": noStore} {
			t.Run(row.Name+"/"+name, func(t *testing.T) {
				defer func() {
					if recover() == nil {
						t.Fatal("Row.Serve built a handler, want a panic")
					}
				}()
				row.Serve(d)
			})
		}
	}
}
