package deletesecret

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/store"
)

func setup(t *testing.T) (del, create http.Handler, e *at.Env) {
	e = at.NewEnv(t)
	del, create = e.Serve(Row), e.Serve(createsecret.Row)
	return del, create, e
}

func deleteCall(id string) at.Call {
	return at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + id, Action: "DeleteSecret"}
}

// TestDeleteSecret: the secret and its name record are gone at once, the name can be created
// again, and the answer is the envelope without data.
func TestDeleteSecret(t *testing.T) {
	del, create, e := setup(t)
	ctx := context.Background()
	id := at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	keep := at.Create(t, create, at.Dev, at.CreateBody("kept", "v"))
	res := at.Do(t, del, deleteCall(id).Request())
	if res.Status != 200 || res.Code() != "Ok" || res.Body["data"] != nil {
		t.Fatalf("got %d %s, want 200 Ok without data", res.Status, res.Raw)
	}
	at.Golden(t, "delete", res)
	for _, ref := range []store.Ref{apigsecret.Ref(at.Dev.Account, id), apigsecret.NameRef(at.Dev.Account, "mine")} {
		if _, err := e.Store.Get(ctx, ref); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("got %v reading %s, want ErrNotFound", err, ref)
		}
	}
	if _, err := e.Store.Get(ctx, apigsecret.Ref(at.Dev.Account, keep)); err != nil {
		t.Errorf("got %v, want the other secret kept", err)
	}
	if again := at.Create(t, create, at.Dev, at.CreateBody("mine", "v2")); again == id {
		t.Errorf("got the old id %s for the new secret, want a new one", again)
	}
	if res := at.Do(t, del, deleteCall(id).Request()); res.Status != 404 || res.Code() != "NotFound.Secret" {
		t.Errorf("second delete: got %d %s, want 404 NotFound.Secret", res.Status, res.Raw)
	}
}

// TestRefusals: a delete of a secret the caller's account does not have is 404, and a replay of
// a delete is refused; neither changes anything.
func TestRefusals(t *testing.T) {
	del, create, e := setup(t)
	others := at.Create(t, create, at.Other, at.CreateBody("others", "v"))
	for _, tc := range []struct {
		name   string
		call   at.Call
		status int
		code   string
	}{
		{"unknown id", deleteCall("sec-aaaaaaaaaaaaaaaaaaaa"), 404, "NotFound.Secret"},
		{"malformed id", deleteCall("..%2F.."), 404, "NotFound.Secret"},
		{"another account's secret", deleteCall(others), 404, "NotFound.Secret"},
		{"unsigned", at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + others, NoSign: true}, 400, "IncompleteSignature"},
		{"signed by another account, path of the owner", at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + others,
			Key: at.Dev, Secret: at.Other.Secret}, 403, "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Count(t)
			res := at.Do(t, del, tc.call.Request())
			if res.Status != tc.status || res.Code() != tc.code {
				t.Errorf("got %d %s, want %d %s", res.Status, res.Raw, tc.status, tc.code)
			}
			if got := e.Count(t); got != n {
				t.Errorf("got %d records, want still %d", got, n)
			}
		})
	}
	if _, err := e.Store.Get(context.Background(), apigsecret.Ref(at.Other.Account, others)); err != nil {
		t.Errorf("got %v, want the other account's secret untouched", err)
	}
	if res := at.Do(t, del, deleteCall("sec-aaaaaaaaaaaaaaaaaaaa").Request()); !strings.Contains(res.Message(), "sec-aaaaaaaaaaaaaaaaaaaa") {
		t.Errorf("got message %q, want it to name the id", res.Message())
	}
}

// TestReplay: a replay of a delete that succeeded never removes anything else. The same
// instance refuses the nonce; another finds the secret already gone (its read comes before the
// transaction that would meet the spent nonce), so the answer is 404.
func TestReplay(t *testing.T) {
	del, create, e := setup(t)
	id := at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	build := deleteCall(id).Build()
	if res := at.Do(t, del, build()); res.Status != 200 {
		t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
	}
	if res := at.Do(t, del, build()); res.Code() != "SignatureNonceUsed" {
		t.Errorf("same instance: got %d %s, want SignatureNonceUsed", res.Status, res.Raw)
	}
	if res := at.Do(t, e.Serve(Row), build()); res.Status != 404 || res.Code() != "NotFound.Secret" {
		t.Errorf("other instance: got %d %s, want 404 NotFound.Secret", res.Status, res.Raw)
	}
}

// failingStore fails every transaction with err; reads reach the real store.
type failingStore struct {
	store.Store
	err error
}

func (f failingStore) Apply(context.Context, store.Tx) error { return f.err }

// TestStoreFaults: conflicts map to their answers; anything else is a 500 that says nothing.
func TestStoreFaults(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"nonce spent", &store.Conflict{Action: apigsecret.ActionNonce, Claim: -1, Reason: store.Exists}, 400, "SignatureNonceUsed"},
		{"deleted meanwhile", &store.Conflict{Action: apigsecret.ActionSecret, Claim: -1, Reason: store.Missing}, 404, "NotFound.Secret"},
		{"name record missing", &store.Conflict{Action: actionName, Claim: -1, Reason: store.Missing}, 500, "InternalError"},
		{"driver error", errors.New("dynamodb: table keyport gone"), 500, "InternalError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, create, e := setup(t)
			id := at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
			d := e.Deps(nil)
			d.Store = failingStore{e.Store, tc.err}
			h := at.ServeOn(Row, d)
			res := at.Do(t, h, deleteCall(id).Request())
			if res.Status != tc.status || res.Code() != tc.code || strings.Contains(string(res.Raw), "dynamodb") {
				t.Errorf("got %d %s, want %d %s", res.Status, res.Raw, tc.status, tc.code)
			}
		})
	}
}
