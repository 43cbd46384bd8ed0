package alibaba_test

import (
	"net/http"
	"strings"
	"testing"

	"keyport/functions/alibaba"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/operation"
)

// TestMux: the family's routes on one mux, as the local server mounts them. Another method on a
// served path is 405 with Allow, any other path 404, both in APIG's envelope; a path value
// reaches its operation percent-decoded.
func TestMux(t *testing.T) {
	e := at.NewEnv(t)
	mux := at.Logged(operation.Mux(operation.Alibaba, alibaba.Rows, e.Deps(nil), operation.Wrappers{}))
	for _, tc := range []struct {
		method, target string
		status         int
		code, allow    string
		inMessage      string
	}{
		{"PATCH", "/v1/secrets", 405, "UnsupportedOperation", "POST, GET", "POST, GET"},
		{"POST", "/v1/secrets/sec-1", 405, "UnsupportedOperation", "GET, PUT, DELETE", "GET, PUT, DELETE"},
		{"GET", "/v1/other", 404, "NotFound", "", "could not be found"},
		{"GET", "/v1/secrets/sec%2F1", 404, "NotFound.Secret", "", `"sec/1"`},
	} {
		res := at.Do(t, mux, at.Call{Method: tc.method, Target: tc.target}.Request())
		if res.Status != tc.status || res.Code() != tc.code || res.Header.Get("Allow") != tc.allow || !strings.Contains(res.Message(), tc.inMessage) {
			t.Errorf("%s %s: got %d %s (Allow %q), want %d %s (Allow %q) mentioning %s",
				tc.method, tc.target, res.Status, res.Raw, res.Header.Get("Allow"), tc.status, tc.code, tc.allow, tc.inMessage)
		}
	}
	if res := at.Do(t, mux, at.Call{Method: http.MethodGet, Target: "/v1/secrets"}.Request()); res.Status != 200 {
		t.Errorf("ListSecrets: got %d %s, want 200", res.Status, res.Raw)
	}
}
