package listsecretreferences

import (
	"net/http"
	"testing"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
)

func TestListSecretReferences(t *testing.T) {
	e := at.NewEnv(t)
	refs, create := e.Serve(Row), e.Serve(createsecret.Row)
	mine := at.Create(t, create, at.Dev, at.CreateBody("mine", "v"))
	others := at.Create(t, create, at.Other, at.CreateBody("others", "v"))
	call := func(target string) at.Call { return at.Call{Target: target, Action: "ListSecretReferences"} }
	for _, tc := range []struct {
		name, target string
		status       int
		code         string
	}{
		{"defaults", "/v1/secrets/" + mine + "/references", 200, "Ok"},
		{"paging echoed", "/v1/secrets/" + mine + "/references?pageNumber=3&pageSize=100", 200, "Ok"},
		{"pageSize 0", "/v1/secrets/" + mine + "/references?pageSize=0", 400, "InvalidParameter"},
		{"pageSize 101", "/v1/secrets/" + mine + "/references?pageSize=101", 400, "InvalidParameter"},
		{"pageNumber 0", "/v1/secrets/" + mine + "/references?pageNumber=0", 400, "InvalidParameter"},
		{"pageNumber not a number", "/v1/secrets/" + mine + "/references?pageNumber=one", 400, "InvalidParameter"},
		{"unknown id", "/v1/secrets/sec-aaaaaaaaaaaaaaaaaaaa/references", 404, "NotFound.Secret"},
		{"another account's secret", "/v1/secrets/" + others + "/references", 404, "NotFound.Secret"},
		{"malformed id", "/v1/secrets/%00/references", 404, "NotFound.Secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Count(t)
			res := at.Do(t, refs, call(tc.target).Request())
			if res.Status != tc.status || res.Code() != tc.code {
				t.Fatalf("got %d %s, want %d %s", res.Status, res.Raw, tc.status, tc.code)
			}
			if wrote := e.Count(t) - n; tc.status != 200 && wrote != 0 || tc.status == 200 && wrote != 1 {
				t.Errorf("got %d records written, want the nonce only on success", wrote)
			}
			at.Golden(t, tc.name, res)
		})
	}
	if res := at.Do(t, refs, at.Call{Method: http.MethodPost, Target: "/v1/secrets/" + mine + "/references"}.Request()); res.Status != 405 {
		t.Errorf("POST: got %d %s, want 405", res.Status, res.Raw)
	}
}
