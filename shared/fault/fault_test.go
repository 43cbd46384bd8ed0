package fault

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{New(Invalid, "Name", "is too long"), "Name: is too long"},
		{New(Missing, "", "body is empty"), "body is empty"},
		{New(Exists, "k", ""), "k: exists"},
		{&Error{Kind: LimitExceeded}, "limit exceeded"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestKindThroughWrapping(t *testing.T) {
	base := New(Exists, "key", "taken")
	wrapped := fmt.Errorf("store: %w", base)
	if KindOf(wrapped) != Exists || As(wrapped) != base {
		t.Errorf("kind lost through wrapping: got %v", KindOf(wrapped))
	}
	if KindOf(errors.New("disk on fire")) != Internal || IsClient(errors.New("x")) {
		t.Error("an unclassified error must be Internal, not a client fault")
	}
	if IsClient(nil) || KindOf(nil) != Internal {
		t.Error("nil is neither a client fault nor anything else")
	}
	coded := base.WithCode("FailedOperation.AccessKeyExist")
	if coded.Code != "FailedOperation.AccessKeyExist" || base.Code != "" {
		t.Error("WithCode must copy, not mutate")
	}
}
