package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"keyport/shared/audit"
)

func TestBudgetDeadline(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	lambda, cancel := context.WithDeadline(context.Background(), now.Add(10*time.Second))
	defer cancel()
	tests := []struct {
		name   string
		budget Budget
		parent context.Context
		want   time.Duration // from now; 0 means no deadline
	}{
		{"server, 30 s write timeout", ForWriteTimeout(30 * time.Second), context.Background(), 28 * time.Second},
		{"server, 3 s write timeout", ForWriteTimeout(3 * time.Second), context.Background(), 2400 * time.Millisecond},
		{"server, 1 s write timeout keeps half", ForWriteTimeout(time.Second), context.Background(), 500 * time.Millisecond},
		{"lambda: its deadline minus the margin", ForLambda(time.Second), lambda, 9 * time.Second},
		{"lambda margin is at least MinMargin", ForLambda(0), lambda, 10*time.Second - MinMargin},
		{"the earlier deadline wins", Budget{Limit: 2 * time.Second, Margin: time.Second}, lambda, 2 * time.Second},
		{"no limit, no inherited deadline", Budget{}, context.Background(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := tt.budget.Deadline(tt.parent, now)
			if tt.want == 0 {
				if ok {
					t.Fatalf("got deadline %s, want none", d)
				}
				return
			}
			if !ok || d.Sub(now) != tt.want {
				t.Errorf("got %s (%v), want now+%s", d.Sub(now), ok, tt.want)
			}
		})
	}
}

func TestBudgetWrapSetsTheDeadline(t *testing.T) {
	var got time.Duration
	h := Budget{Limit: time.Minute}.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := r.Context().Deadline()
		if !ok {
			t.Fatal("handler ran without a deadline")
		}
		got = time.Until(d)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got <= 59*time.Second || got > time.Minute {
		t.Errorf("handler saw %s left, want just under a minute", got)
	}
}

// TestTimedOutRequestIsAuditedUnknown: a server fault noted after the budget ran out is
// audited as "unknown" and its log line says so; one noted in time keeps its code.
func TestTimedOutRequestIsAuditedUnknown(t *testing.T) {
	for _, tt := range []struct {
		name  string
		limit time.Duration
		want  string
	}{{"budget spent", time.Nanosecond, audit.OutcomeUnknown}, {"in time", time.Minute, "InternalError"}} {
		t.Run(tt.name, func(t *testing.T) {
			var logs, trail strings.Builder
			h := Logged(newTestLogger(&logs), audit.NewWriter(&trail), "tencent.CreateApiKey", Budget{Limit: tt.limit}.Wrap(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					<-time.After(time.Millisecond)
					NoteOutcome(r.Context(), "InternalError", context.Cause(r.Context()))
				})))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil))
			if !strings.Contains(trail.String(), `"outcome":"`+tt.want+`"`) {
				t.Errorf("audit: got %s, want outcome %s", trail.String(), tt.want)
			}
			if unknown := strings.Contains(logs.String(), `"outcome":"unknown"`); unknown != (tt.want == audit.OutcomeUnknown) {
				t.Errorf("log line: got %s", logs.String())
			}
		})
	}
}

func newTestLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }
