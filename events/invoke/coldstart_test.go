//go:build invoke

package invoke

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestColdStartFailureNeverServes starts a function whose configuration is broken: it must
// report init/error, exit non-zero and never ask for an event (so it never answers with
// default credentials). It runs against the in-test Runtime API, not the emulator: the
// emulator answers the invocation with the init error but shows neither whether the bootstrap
// asked for an event nor its exit status.
func TestColdStartFailureNeverServes(t *testing.T) {
	h := newHarness(t, devDocument(t))
	tests := []struct {
		name     string
		function string
		override map[string]string
	}{
		{"credentials secret missing", "k5-createsecret",
			map[string]string{"KEYPORT_CREDENTIALS_SECRET_ARN": h.cloud.secretARN + "-deleted"}},
		{"credentials secret unset", "alibaba-createsecret", map[string]string{"KEYPORT_CREDENTIALS_SECRET_ARN": ""}},
		{"KMS key unset on a sealing function", "gcore-createsecret", map[string]string{"KEYPORT_KMS_KEY_ID": ""}},
		{"API key limit not a number", "tencent-apigateway", map[string]string{"KEYPORT_APIKEY_LIMIT": "lots"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, api := h.startRuntimeAPI(t, tt.function, tt.override)
			select {
			case <-p.exited:
			case <-time.After(60 * time.Second): // a hang guard, not a measurement
				t.Fatalf("got %s still running, want it to exit", tt.function)
			}
			nexts, initErrs := api.stats()
			if code := p.exitCode(); code == 0 {
				t.Errorf("got exit code 0, want non-zero")
			}
			if nexts != 0 {
				t.Errorf("got %d calls to invocation/next, want none", nexts)
			}
			if !slices.Equal(initErrs, []string{"Keyport.ColdStartFailed"}) {
				t.Errorf("got init errors %v, want one Keyport.ColdStartFailed", initErrs)
			}
			if out := p.out.String(); !strings.Contains(out, `"msg":"cold start failed"`) {
				t.Errorf("got output %q, want the JSON cold start failure line", out)
			}
		})
	}
}

// TestPlaceholderSecretAcceptsNobody runs a function on the stack's initial secret value, an
// empty credentials document: it serves, but the development token is refused, because Lambda
// mode has no default credentials.
func TestPlaceholderSecretAcceptsNobody(t *testing.T) {
	h := newHarness(t, "{}")
	resp, _ := invoke(t, h.start(t, "k5-createsecret", nil), signedEvent(t, "k5-createsecret"))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("got status %d %s, want 401 for the development token", resp.StatusCode, resp.Body)
	}
}
