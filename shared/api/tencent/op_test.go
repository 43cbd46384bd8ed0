package tencent_test

import (
	"context"
	"testing"
	"time"

	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/fault"
)

// greet is an operation's parameters: Name is required and at most 5 bytes; Mood defaults.
type greet struct {
	Name string `json:"Name"`
	Mood string `json:"Mood"`
}

func (g *greet) Check() error {
	if g.Mood == "" {
		g.Mood = "calm"
	}
	if g.Name == "" {
		return fault.New(fault.Missing, "Name", "is required")
	}
	if len(g.Name) > 5 {
		return fault.New(fault.Invalid, "Name", "must be at most 5 bytes")
	}
	return nil
}

// TestOp: the skeleton decodes strictly, checks, and hands act only a request that passed
// both; InvalidCode recodes the action's parameter value refusals and nothing else.
func TestOp(t *testing.T) {
	acted := 0
	act := func(ctx context.Context, c tencent.Call, g *greet) (any, error) {
		acted++
		if g.Name == "boom" {
			return nil, fault.New(fault.Invalid, "", "refused by the action").WithCode("FailedOperation.Boom")
		}
		return map[string]string{"Hello": g.Name, "Mood": g.Mood, "Account": c.Account}, nil
	}
	plain := tencent.Op(tencent.EdgeOne, "Greet", act)
	coded := tencent.Op(tencent.EdgeOne, "GreetCoded", act)
	coded.InvalidCode = "InvalidParameter.FormatError"
	h := tencent.Router(credentials.Dev(), func() time.Time { return now }, plain, coded)
	tests := []struct {
		action, body, wantCode string
		wantActed              int
	}{
		{"Greet", `{"Name":"ann"}`, "", 1},
		{"Greet", `{"Name":"ann","Age":3}`, "UnknownParameter", 0},
		{"Greet", `{"Name":1}`, "InvalidParameter", 0},
		{"Greet", `{}`, "MissingParameter", 0},
		{"Greet", `{"Name":"annabel"}`, "InvalidParameterValue", 0},
		{"Greet", `{"Name":"a\ud800"}`, "InvalidParameterValue", 0},
		{"GreetCoded", `{"Name":"annabel"}`, "InvalidParameter.FormatError", 0},
		{"GreetCoded", `{"Name":"a\ud800"}`, "InvalidParameter.FormatError", 0},
		{"GreetCoded", `{"Name":"ann","Age":3}`, "UnknownParameter", 0},
		{"GreetCoded", `{}`, "MissingParameter", 0},
		{"GreetCoded", `{"Name":"boom"}`, "FailedOperation.Boom", 1},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.body, func(t *testing.T) {
			acted = 0
			req := tencenttest.Request{Action: tt.action, Version: "2022-09-01", Service: "teo", Body: tt.body, Time: now}
			w := tencenttest.Serve(t, h, req.HTTP(t))
			if code := tencenttest.Code(t, w.Body.Bytes()); code != tt.wantCode || acted != tt.wantActed {
				t.Errorf("got code %q after %d acts, want %q after %d (body %s)", code, acted, tt.wantCode, tt.wantActed, w.Body)
			}
		})
	}
}

// TestParseDefaults: Check's defaults reach the parsed parameters.
func TestParseDefaults(t *testing.T) {
	g, err := tencent.Parse[greet]([]byte(`{"Name":"ann"}`))
	if err != nil || g.Name != "ann" || g.Mood != "calm" {
		t.Errorf("got %+v, %v; want ann, calm", g, err)
	}
}
