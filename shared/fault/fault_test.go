package fault

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
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

func TestInRequest(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	live := context.Background()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want Kind
	}{
		{"internal, deadline passed", expired, errors.New("dynamodb: i/o"), Timeout},
		{"internal caused by a deadline", live, fmt.Errorf("kms: %w", context.DeadlineExceeded), Timeout},
		{"internal, time left", live, errors.New("dynamodb: throttled"), Internal},
		{"client fault, deadline passed", expired, New(Invalid, "Name", "bad"), Invalid},
		{"busy stays busy", expired, New(Busy, "", "full"), Busy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InRequest(tt.ctx, tt.err).Kind; got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if IsClient(New(Timeout, "", "")) || IsClient(New(Busy, "", "")) {
		t.Error("timeout and busy are the server's, not the client's")
	}
}
