package identity

import (
	"net/http"
	"testing"

	"keyport/shared/fault"
)

// TestStatusOfEveryClientFault: every client fault kind renders as a 4xx (Busy, the server's,
// as 503), never the 500 an unmapped kind falls through to.
func TestStatusOfEveryClientFault(t *testing.T) {
	for k := fault.Kind(0); k <= fault.Denied; k++ {
		err := fault.New(k, "", "x")
		got := Status(k)
		if fault.IsClient(err) && (got < 400 || got >= 500) {
			t.Errorf("Status(%v) = %d, want a 4xx for a client fault", k, got)
		}
		if k == fault.Denied && got != http.StatusForbidden {
			t.Errorf("Status(denied) = %d, want 403 as Keystone refuses a policy", got)
		}
	}
}
