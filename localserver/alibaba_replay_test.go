package localserver

import (
	"net/http"
	"testing"
	"time"

	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/localdata/localdatatest"
)

// TestAlibabaReplayAndWindowEveryOperation: for every Alibaba operation, a request that
// succeeded is refused when replayed to the same server and to a second server on the same
// store (another Lambda instance), and a request dated outside the 15-minute window is refused.
// A replayed delete meets a secret already gone on the second server, so it is 404 there; it
// removes nothing either way.
func TestAlibabaReplayAndWindowEveryOperation(t *testing.T) {
	data := localdatatest.Open(t)
	mux := func() http.Handler {
		return newMux(quietServices(data.Store, data.Sealer, at.Book(t)))
	}
	first, second := mux(), mux()
	for _, tc := range []struct {
		name  string
		call  func(id string) at.Call
		other string // the second server's code for the replay
	}{
		{"CreateSecret", func(string) at.Call {
			return at.Call{Method: http.MethodPost, Target: "/v1/secrets", Body: at.CreateBody("created_by_replay_test", "v")}
		}, "SignatureNonceUsed"},
		{"GetSecret", func(id string) at.Call { return at.Call{Target: "/v1/secrets/" + id} }, "SignatureNonceUsed"},
		{"ListSecrets", func(string) at.Call { return at.Call{Target: "/v1/secrets?pageSize=5"} }, "SignatureNonceUsed"},
		{"GetSecretValue", func(string) at.Call { return at.Call{Target: "/v1/secrets/name/replayed/value"} }, "SignatureNonceUsed"},
		{"UpdateSecret", func(id string) at.Call {
			return at.Call{Method: http.MethodPut, Target: "/v1/secrets/" + id, Body: `{"secretData":"v2"}`}
		}, "SignatureNonceUsed"},
		{"ListSecretReferences", func(id string) at.Call { return at.Call{Target: "/v1/secrets/" + id + "/references"} }, "SignatureNonceUsed"},
		{"DeleteSecret", func(id string) at.Call { return at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + id} }, "NotFound.Secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := at.Create(t, first, at.Dev, at.CreateBody("replayed", "v"))
			t.Cleanup(func() { at.Do(t, first, at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + id}.Request()) })
			stale := tc.call(id)
			stale.Date = time.Now().Add(-16 * time.Minute)
			if res := at.Do(t, first, stale.Request()); res.Code() != "InvalidTimeStamp.Expired" {
				t.Errorf("stale: got %d %s, want InvalidTimeStamp.Expired", res.Status, res.Raw)
			}
			build := tc.call(id).Build()
			if res := at.Do(t, first, build()); res.Status != 200 {
				t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
			}
			if res := at.Do(t, first, build()); res.Code() != "SignatureNonceUsed" {
				t.Errorf("replay, same server: got %d %s, want SignatureNonceUsed", res.Status, res.Raw)
			}
			if res := at.Do(t, second, build()); res.Code() != tc.other {
				t.Errorf("replay, second server: got %d %s, want %s", res.Status, res.Raw, tc.other)
			}
			if tc.name == "CreateSecret" {
				at.Do(t, first, at.Call{Method: http.MethodDelete, Target: "/v1/secrets/" + createdID(t, first)}.Request())
			}
		})
	}
}

// createdID finds the id of the secret the CreateSecret case made, by name.
func createdID(t *testing.T, h http.Handler) string {
	t.Helper()
	res := at.Do(t, h, at.Call{Target: "/v1/secrets?nameLike=created_by_replay_test"}.Request())
	items, _ := res.Data()["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("got %s, want the one created secret", res.Raw)
	}
	return items[0].(map[string]any)["secretId"].(string)
}
