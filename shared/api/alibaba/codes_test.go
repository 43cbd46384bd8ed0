package alibaba

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"keyport/shared/fault"
)

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		status    int
		code, msg string
	}{
		{"unclassified error", errors.New("dynamodb: table secret-table gone"), 500, "InternalError", internalMessage},
		{"wrapped internal fault", fmt.Errorf("x: %w", fault.New(fault.Internal, "", "kms key arn:aws:kms:x")), 500, "InternalError", internalMessage},
		{"internal with code override", fault.New(fault.Internal, "", "boom").WithCode("Custom"), 500, "InternalError", internalMessage},
		{"invalid", fault.New(fault.Invalid, "name", "must be 1 to 64 characters long"), 400, "InvalidParameter", "name: must be 1 to 64 characters long"},
		{"missing", fault.New(fault.Missing, "name", "is required"), 400, "MissingParameter",
			`The input parameter "name" that is mandatory for processing this request is not supplied.`},
		{"malformed", fault.New(fault.Malformed, "", "body is not JSON"), 400, "InvalidParameter", "body is not JSON"},
		{"too large", fault.New(fault.TooLarge, "", "big"), 413, "EntityTooLarge", "big"},
		{"unsupported type", fault.New(fault.UnsupportedType, "Content-Type", "must be application/json"), 415, "UnsupportedMediaType", "Content-Type: must be application/json"},
		{"unauthenticated", fault.New(fault.Unauthenticated, "", "no header"), 400, CodeIncompleteSignature, "no header"},
		{"unknown key", fault.New(fault.Unauthenticated, "", "nf").WithCode(CodeAccessKeyNotFound), 404, CodeAccessKeyNotFound, "nf"},
		{"bad signature", fault.New(fault.Unauthenticated, "", "sig").WithCode(CodeSignatureDoesNotMatch), 403, CodeSignatureDoesNotMatch, "sig"},
		{"expired", fault.New(fault.Expired, "x-acs-date", "old"), 400, CodeTimeStampExpired, "x-acs-date: old"},
		{"date format", fault.New(fault.Expired, "x-acs-date", "bad").WithCode(CodeTimeStampFormat), 400, CodeTimeStampFormat, "x-acs-date: bad"},
		{"replayed", replayed(), 400, CodeNonceUsed, "x-acs-signature-nonce: was already used; send a new nonce with every request"},
		{"forbidden", fault.New(fault.Forbidden, "", "no"), 403, "Forbidden", "no"},
		{"exists", fault.New(fault.Exists, "name", "taken"), 409, "Conflict", "name: taken"},
		{"exists with operation code", fault.New(fault.Exists, "name", "taken").WithCode("Conflict.SecretNameDuplicate"), 409, "Conflict.SecretNameDuplicate", "name: taken"},
		{"limit", fault.New(fault.LimitExceeded, "", "full"), 400, "QuotaExceeded", "full"},
		{"not found", fault.New(fault.NotFound, "", "gone"), 404, "NotFound", "gone"},
		{"unknown action", fault.New(fault.UnknownAction, "", "no route"), 404, "InvalidAction.NotFound", "no route"},
		{"bad method", fault.New(fault.BadMethod, "", "POST only"), 405, "UnsupportedOperation", "POST only"},
		{"timeout", fault.New(fault.Timeout, "", "dynamodb: secret detail"), 503, CodeServiceUnavailable, serverMessages[fault.Timeout]},
		{"busy", fault.New(fault.Busy, "", "budget"), 429, "Throttling", serverMessages[fault.Busy]},
		{"unknown kind", &fault.Error{Kind: 200, Reason: "?"}, 500, "InternalError", internalMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code, msg := Render(tc.err)
			if status != tc.status || code != tc.code || msg != tc.msg {
				t.Errorf("got %d %q %q, want %d %q %q", status, code, msg, tc.status, tc.code, tc.msg)
			}
		})
	}
}

// TestRenderEveryKind keeps byKind complete: a new fault kind must get an Alibaba rendering,
// and no client kind may render as a 5xx.
func TestRenderEveryKind(t *testing.T) {
	for k := fault.Internal; k <= fault.Busy; k++ {
		if _, ok := byKind[k]; !ok {
			t.Errorf("kind %v: got no rendering, want one", k)
		}
		status, code, _ := Render(fault.New(k, "f", "r"))
		if client := fault.IsClient(fault.New(k, "", "")); client && (status < 400 || status >= 500 || strings.HasPrefix(code, "Internal")) {
			t.Errorf("kind %v: got %d %s, want a 4xx", k, status, code)
		}
		if http.StatusText(status) == "" {
			t.Errorf("kind %v: got status %d, want a known status", k, status)
		}
	}
}
