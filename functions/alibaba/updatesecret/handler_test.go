package updatesecret

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"keyport/functions/alibaba/createsecret"
	"keyport/shared/api/alibaba"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// setup returns UpdateSecret (on the clock now) and CreateSecret handlers on one Env.
func setup(t *testing.T, now func() time.Time) (update, create http.Handler, e *at.Env) {
	e = at.NewEnv(t)
	return at.ServeOn(Row, e.Deps(now)), e.Serve(createsecret.Row), e
}

func updateCall(id, body string) at.Call {
	return at.Call{Method: http.MethodPut, Target: "/v1/secrets/" + id, Action: "UpdateSecret", Body: body}
}

// open reads the stored value of account's secret id.
func open(t *testing.T, e *at.Env, account, id string) (store.Record, string) {
	t.Helper()
	rec, err := e.Store.Get(context.Background(), apigsecret.Ref(account, id))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := e.Sealer.Open(context.Background(), seal.Scope{Service: alibaba.Service, Tenant: account}, rec.AAD(), rec.Sealed)
	if err != nil {
		t.Fatal(err)
	}
	return rec, string(plain)
}

// TestUpdateSecret: the value is resealed, updateTimestamp moves, nothing else changes, and the
// answer is the envelope without data.
func TestUpdateSecret(t *testing.T) {
	update, create, e := setup(t, nil)
	id := at.Create(t, create, at.Dev, `{"name":"mine","secretData":"old","description":"d","gatewayType":"AI","kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"}}`)
	before, _ := open(t, e, at.Dev.Account, id)
	keys := e.KMS.Generates.Load()
	res := at.Do(t, update, updateCall(id, `{"secretData":"new-value"}`).Request())
	if res.Status != 200 || res.Code() != "Ok" || res.Body["data"] != nil {
		t.Fatalf("got %d %s, want 200 Ok without data", res.Status, res.Raw)
	}
	at.Golden(t, "update", res)
	after, value := open(t, e, at.Dev.Account, id)
	if sealed := e.KMS.Generates.Load() - keys; value != "new-value" || string(after.Sealed) == string(before.Sealed) || sealed != 1 {
		t.Errorf("got value %q after %d seals, want new-value resealed once", value, sealed)
	}
	if !apigsecret.UpdatedAt(after).After(apigsecret.UpdatedAt(before)) || !after.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("got update %v create %v, want update after %v, create unchanged", apigsecret.UpdatedAt(after), after.CreatedAt, apigsecret.UpdatedAt(before))
	}
	if len(after.Attrs) != len(before.Attrs) {
		t.Errorf("got attrs %v, want %v", after.Attrs, before.Attrs)
	}
	for k, v := range before.Attrs {
		if after.Attrs[k] != v {
			t.Errorf("attr %s: got %v, want %v unchanged", k, after.Attrs[k], v)
		}
	}
}

// TestTimestampMoves: updates within one millisecond of the create, and of each other, still
// give each a later updateTimestamp.
func TestTimestampMoves(t *testing.T) {
	frozen := time.Now()
	update, create, e := setup(t, func() time.Time { return frozen })
	id := at.Create(t, create, at.Dev, at.CreateBody("mine", "v0"))
	rec, _ := open(t, e, at.Dev.Account, id)
	last := apigsecret.UpdatedAt(rec)
	for i := range 3 {
		if res := at.Do(t, update, updateCall(id, `{"secretData":"v`+string(rune('1'+i))+`"}`).Request()); res.Status != 200 {
			t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
		}
		rec, _ := open(t, e, at.Dev.Account, id)
		if at := apigsecret.UpdatedAt(rec); !at.After(last) {
			t.Errorf("update %d: got updateTimestamp %v, want after %v", i, at, last)
		}
		last = apigsecret.UpdatedAt(rec)
	}
}

// TestRefusals: each bad request is refused naming what is wrong; nothing is sealed or written.
func TestRefusals(t *testing.T) {
	update, create, e := setup(t, nil)
	mine := at.Create(t, create, at.Dev, at.CreateBody("mine", "old"))
	others := at.Create(t, create, at.Other, at.CreateBody("others", "theirs"))
	for _, tc := range []struct {
		name   string
		call   at.Call
		status int
		code   string
		msg    string
	}{
		{"empty body", updateCall(mine, ""), 400, "MissingParameter", `"secretData"`},
		{"secretData missing", updateCall(mine, `{"description":"x"}`), 400, "MissingParameter", `"secretData"`},
		{"secretData null", updateCall(mine, `{"secretData":null}`), 400, "MissingParameter", `"secretData"`},
		{"secretData empty", updateCall(mine, `{"secretData":""}`), 400, "MissingParameter", `"secretData"`},
		{"secretData not a string", updateCall(mine, `{"secretData":5}`), 400, "InvalidParameter", "secretData"},
		{"secretData over 64 KiB", updateCall(mine, `{"secretData":"`+strings.Repeat("x", apigsecret.MaxValue+1)+`"}`), 400, "InvalidParameter", "secretData"},
		{"secretData lone surrogate", updateCall(mine, `{"secretData":"\ud800"}`), 400, "InvalidParameter", "secretData"},
		{"not JSON", updateCall(mine, `{"secretData":`), 400, "InvalidParameter", "JSON object"},
		{"text/plain", at.Call{Method: http.MethodPut, Target: "/v1/secrets/" + mine, Body: `{"secretData":"x"}`, ContentType: "text/plain"}, 415, "UnsupportedMediaType", "Content-Type"},
		{"unknown id", updateCall("sec-aaaaaaaaaaaaaaaaaaaa", `{"secretData":"x"}`), 404, "NotFound.Secret", "sec-aaaaaaaaaaaaaaaaaaaa"},
		{"malformed id", updateCall("x%2Fy", `{"secretData":"x"}`), 404, "NotFound.Secret", `"x/y"`},
		{"another account's secret", updateCall(others, `{"secretData":"x"}`), 404, "NotFound.Secret", others},
		{"body changed after signing", at.Call{Method: http.MethodPut, Target: "/v1/secrets/" + mine, Body: `{"secretData":"x"}`,
			After: func(r *http.Request) { r.Header.Set("x-acs-content-sha256", strings.Repeat("0", 64)) }}, 403, "SignatureDoesNotMatch", "x-acs-content-sha256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, sealed := e.Count(t), e.KMS.Generates.Load()
			res := at.Do(t, update, tc.call.Request())
			if res.Status != tc.status || res.Code() != tc.code || !strings.Contains(res.Message(), tc.msg) {
				t.Errorf("got %d %s, want %d %s naming %s", res.Status, res.Raw, tc.status, tc.code, tc.msg)
			}
			if got := e.Count(t); got != n || e.KMS.Generates.Load() != sealed {
				t.Errorf("got %d records and %d seals, want still %d and %d", got, e.KMS.Generates.Load(), n, sealed)
			}
			at.Golden(t, "refuse_"+tc.name, res)
		})
	}
	if _, v := open(t, e, at.Dev.Account, mine); v != "old" {
		t.Errorf("got value %q, want old", v)
	}
	if _, v := open(t, e, at.Other.Account, others); v != "theirs" {
		t.Errorf("got the other account's value %q, want theirs", v)
	}
}

// TestReplay: an update that succeeded cannot be replayed, on this instance or another.
func TestReplay(t *testing.T) {
	update, create, e := setup(t, nil)
	id := at.Create(t, create, at.Dev, at.CreateBody("mine", "old"))
	build := updateCall(id, `{"secretData":"new"}`).Build()
	if res := at.Do(t, update, build()); res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	other := e.Serve(Row)
	for name, h := range map[string]http.Handler{"same instance": update, "other instance": other} {
		if res := at.Do(t, h, build()); res.Code() != "SignatureNonceUsed" {
			t.Errorf("%s: got %d %s, want 400 SignatureNonceUsed", name, res.Status, res.Raw)
		}
	}
	if rec, _ := open(t, e, at.Dev.Account, id); rec.Version != 2 {
		t.Errorf("got version %d, want 2: one update applied", rec.Version)
	}
}

func TestStamp(t *testing.T) {
	t0 := time.UnixMilli(1_700_000_000_000)
	rec := store.Record{Version: 2, CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0}
	for _, tc := range []struct {
		name   string
		at     time.Time
		want   time.Time
		record store.Record
	}{
		{"later clock", t0.Add(time.Second), t0.Add(time.Second), rec},
		{"same millisecond", t0.Add(500 * time.Microsecond), t0.Add(time.Millisecond), rec},
		{"earlier clock", t0.Add(-time.Minute), t0.Add(time.Millisecond), rec},
		{"never updated", t0, t0.Add(time.Millisecond), store.Record{Version: 1, CreatedAt: t0, UpdatedAt: t0.Add(time.Hour)}},
	} {
		if got := stamp(tc.at, tc.record); !got.Equal(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
