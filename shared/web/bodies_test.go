package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"keyport/shared/fault"
)

func TestBodiesBudget(t *testing.T) {
	tests := []struct {
		name     string
		held     int64 // already reserved by other requests
		body     string
		declared int64 // Content-Length; -1 for none
		limit    int64
		wantKind fault.Kind // Internal: read
	}{
		{"fits", 0, "12345", 5, 10, fault.Internal},
		{"fits exactly", 5, "12345", 5, 10, fault.Internal},
		{"declared length does not fit", 6, "12345", 5, 10, fault.Busy},
		{"no length: the limit is reserved", 1, "12", -1, 10, fault.Busy},
		{"over the limit is too large, not busy", 10, "123456789012", 12, 10, fault.TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBodies(10)
			b.held.Store(tt.held)
			var got []byte
			var err error
			h := b.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, err = ReadBody(r, tt.limit) }))
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			r.ContentLength = tt.declared
			h.ServeHTTP(httptest.NewRecorder(), r)
			if tt.wantKind == fault.Internal {
				if err != nil || string(got) != tt.body {
					t.Errorf("got %q, %v; want the body", got, err)
				}
			} else if fault.KindOf(err) != tt.wantKind {
				t.Errorf("got %v, want kind %v", err, tt.wantKind)
			}
			if b.Held() != tt.held {
				t.Errorf("after the request %d bytes are held, want %d (its own released)", b.Held(), tt.held)
			}
		})
	}
}

// TestBodiesHoldsAtMostTheBudget has many requests read at once; the bytes held never exceed
// the budget, and each request either read its whole body or was refused as busy.
func TestBodiesHoldsAtMostTheBudget(t *testing.T) {
	const size, budget, clients = 1000, 4500, 40
	b := NewBodies(budget)
	var mu sync.Mutex
	var peak int64
	var busy, read int
	release := make(chan struct{})
	var started sync.WaitGroup
	h := b.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := ReadBody(r, size)
		mu.Lock()
		peak = max(peak, b.Held())
		if fault.KindOf(err) == fault.Busy {
			busy++
		} else if len(body) == size {
			read++
		}
		mu.Unlock()
		started.Done()
		<-release // hold the body until every request has tried
	}))
	var done sync.WaitGroup
	started.Add(clients)
	for range clients {
		done.Add(1)
		go func() {
			defer done.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", bytes.NewReader(make([]byte, size))))
		}()
	}
	started.Wait()
	close(release)
	done.Wait()
	if peak > budget || read != budget/size || busy != clients-budget/size || b.Held() != 0 {
		t.Errorf("got peak %d, %d read, %d busy, %d held after; want peak ≤ %d, %d read, %d busy, 0 held",
			peak, read, busy, b.Held(), budget, budget/size, clients-budget/size)
	}
}

// countingBody counts the bytes read from it.
type countingBody struct {
	io.Reader
	n int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	c.n += n
	return n, err
}

func (c *countingBody) Close() error { return nil }

func TestBodiesDrainsWhatTheHandlerRefused(t *testing.T) {
	for _, tt := range []struct {
		name      string
		size      int
		wantDrain int
	}{{"small", 1000, 1000}, {"over maxDrain", maxDrain + 5000, maxDrain}} {
		t.Run(tt.name, func(t *testing.T) {
			body := &countingBody{Reader: bytes.NewReader(make([]byte, tt.size))}
			r := httptest.NewRequest("POST", "/", nil)
			r.Body, r.ContentLength = body, int64(tt.size)
			w := httptest.NewRecorder()
			NewBodies(10).Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusTooManyRequests)
			})).ServeHTTP(w, r)
			if body.n != tt.wantDrain || !w.Flushed {
				t.Errorf("got %d bytes drained (flushed %v), want %d after a flushed answer", body.n, w.Flushed, tt.wantDrain)
			}
		})
	}
}
