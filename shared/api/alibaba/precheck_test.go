package alibaba

import (
	"net/http"
	"strings"
	"testing"

	"keyport/shared/credentials"
	"keyport/shared/fault"
)

// TestPrecheck refuses what Verify would refuse without the body, with Verify's faults, and
// leaves the signature, the body hash and the clock to Verify.
func TestPrecheck(t *testing.T) {
	dev := credentials.DevAlibabaSecret
	for _, tc := range []struct {
		name  string
		after func(r *http.Request)
		kind  fault.Kind // Internal: accepted
		code  string
	}{
		{"as signed", nil, fault.Internal, ""},
		{"no authorization", func(r *http.Request) { r.Header.Del("Authorization") }, fault.Unauthenticated, ""},
		{"unknown key", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), credentials.DevAlibabaKeyID, "LTAInobody", 1))
		}, fault.Unauthenticated, CodeAccessKeyNotFound},
		{"smuggled x-acs header", func(r *http.Request) { r.Header.Set("x-acs-security-token", "t") }, fault.Unauthenticated, ""},
		{"content-type not signed with a body", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;", "", 1))
		}, fault.Unauthenticated, ""},
		{"wrong signature is Verify's", func(r *http.Request) {
			r.Header.Set("Authorization", signed(nil, "wrong").Header.Get("Authorization"))
		}, fault.Internal, ""},
		{"stale date is Verify's, after the signature", func(r *http.Request) { r.Header.Set("x-acs-date", "2001-01-01T00:00:00Z") }, fault.Internal, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := signed(nil, dev)
			if tc.after != nil {
				tc.after(r)
			}
			err := Precheck(credentials.Dev(), r)
			if tc.kind == fault.Internal {
				if err != nil {
					t.Fatalf("got %v, want accepted", err)
				}
				return
			}
			f := fault.As(err)
			if f.Kind != tc.kind || f.Code != tc.code {
				t.Errorf("got %v (kind %v, code %q), want kind %v code %q", err, f.Kind, f.Code, tc.kind, tc.code)
			}
		})
	}
}
