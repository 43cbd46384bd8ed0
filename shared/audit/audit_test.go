package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// lockedBuffer is a bytes.Buffer that is itself safe for concurrent writes, so the test checks
// the Writer's line atomicity rather than the buffer's.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line is not JSON: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func TestWriterWritesOneWholeLinePerEventConcurrently(t *testing.T) {
	var buf lockedBuffer
	w := NewWriter(&buf)
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, rec := Begin(context.Background(), Event{RequestID: fmt.Sprint(i), Operation: "gcore.CreateSecret"})
			SetPrincipal(ctx, strings.Repeat("p", 100), "acct")
			if err := rec.Finish(w, "OK", 200); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	lines := buf.lines(t)
	if len(lines) != n {
		t.Fatalf("got %d lines, want %d", len(lines), n)
	}
	seen := map[any]bool{}
	for _, l := range lines {
		if l["log_type"] != LogType || l["principal"] != strings.Repeat("p", 100) || seen[l["request_id"]] {
			t.Fatalf("got line %v, want log_type audit, the principal and a new request id", l)
		}
		seen[l["request_id"]] = true
	}
}

func TestRecorderWritesOnce(t *testing.T) {
	var buf lockedBuffer
	w := NewWriter(&buf)
	ctx, rec := Begin(context.Background(), Event{RequestID: "r1", Dialect: "k5", Operation: "k5.CreateSecret",
		Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)), Source: "192.0.2.1"})
	SetBearer(ctx, []byte("key"), "tok", "tenant-1")
	SetResource(ctx, "sec-1")

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { _ = rec.Finish(w, "Created", 201) })
	}
	wg.Wait()
	SetResource(ctx, "changed after the event was written")
	_ = rec.Finish(w, "Bad Request", 400)

	lines := buf.lines(t)
	if len(lines) != 1 {
		t.Fatalf("got %d events, want 1", len(lines))
	}
	want := map[string]any{
		"log_type": "audit", "time": "2026-01-02T02:04:05Z", "request_id": "r1", "dialect": "k5",
		"operation": "k5.CreateSecret", "principal": BearerPrincipal([]byte("key"), "tok"), "account": "tenant-1",
		"resource": "sec-1", "outcome": "Created", "status": float64(201), "source": "192.0.2.1",
	}
	for k, v := range want {
		if lines[0][k] != v {
			t.Errorf("%s: got %v, want %v", k, lines[0][k], v)
		}
	}
	if len(lines[0]) != len(want) {
		t.Errorf("got fields %v, want exactly %d", lines[0], len(want))
	}
}

func TestWriterClipsLongValues(t *testing.T) {
	tests := []struct {
		name, value string
	}{
		{"ascii", strings.Repeat("A", 10000)},
		{"multi-byte at the cut", strings.Repeat("密", 200)},
		{"invalid UTF-8", strings.Repeat("\xff", 500)},
		{"control characters", strings.Repeat("a\n\"}{", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf lockedBuffer
			ctx, rec := Begin(context.Background(), Event{RequestID: tt.value, Operation: tt.value, Source: tt.value})
			SetPrincipal(ctx, tt.value, tt.value)
			SetResource(ctx, tt.value)
			if err := rec.Finish(NewWriter(&buf), tt.value, 200); err != nil {
				t.Fatal(err)
			}
			lines := buf.lines(t)
			if len(lines) != 1 {
				t.Fatalf("got %d lines, want 1", len(lines))
			}
			for _, k := range []string{"request_id", "operation", "principal", "account", "resource", "outcome", "source"} {
				s, _ := lines[0][k].(string)
				// Invalid bytes become U+FFFD (3 bytes) when marshalled, so bound the raw cut:
				// at most MaxField input bytes, each at most 3 output bytes.
				if !strings.HasSuffix(s, "…") || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxField {
					t.Errorf("%s: got %d bytes %q, want at most %d characters ending in …", k, len(s), s, MaxField)
				}
			}
		})
	}
	if got := clip(strings.Repeat("a", MaxField)); len(got) != MaxField || strings.HasSuffix(got, "…") {
		t.Errorf("got %q cut, want a value of exactly MaxField bytes kept whole", got)
	}
	if got := clip(strings.Repeat("é", MaxField)); len(got) > MaxField || !utf8.ValidString(got) {
		t.Errorf("got %d bytes, valid %v; want at most %d valid bytes", len(got), utf8.ValidString(got), MaxField)
	}
}

func TestSettersWithoutRecorderDoNothing(t *testing.T) {
	ctx := context.Background()
	SetPrincipal(ctx, "p", "a")
	SetBearer(ctx, nil, "t", "a")
	SetAccount(ctx, "a")
	SetOperation(ctx, "o")
	SetResource(ctx, "r") // none of these may panic
}

func TestSetBearerIgnoresAnEmptyToken(t *testing.T) {
	var buf lockedBuffer
	ctx, rec := Begin(context.Background(), Event{})
	SetBearer(ctx, []byte("k"), "", "tenant")
	_ = rec.Finish(NewWriter(&buf), "Unauthorized", 401)
	if l := buf.lines(t)[0]; l["principal"] != "" || l["account"] != "" {
		t.Errorf("got principal %v account %v, want both empty", l["principal"], l["account"])
	}
}

func TestBearerPrincipal(t *testing.T) {
	const token = "keyport-local-dev"
	a, b := BearerPrincipal([]byte("k1"), token), BearerPrincipal([]byte("k1"), token)
	if a != b {
		t.Errorf("got %q and %q for one token and key, want equal", a, b)
	}
	if c := BearerPrincipal([]byte("k2"), token); c == a {
		t.Errorf("got %q under two keys, want different", c)
	}
	if d := BearerPrincipal([]byte("k1"), token+"x"); d == a {
		t.Errorf("got %q for two tokens, want different", d)
	}
	if len(a) != len("hmac:")+32 || !strings.HasPrefix(a, "hmac:") || strings.Contains(a, token) {
		t.Errorf("got %q, want hmac: and 32 hex digits, not the token", a)
	}
}

func TestDialectOf(t *testing.T) {
	for op, want := range map[string]string{
		"tencent": "tencent", "tencent.CreateApiKey": "tencent", "k5.CreateSecret": "k5", "": "",
	} {
		if got := DialectOf(op); got != want {
			t.Errorf("DialectOf(%q): got %q, want %q", op, got, want)
		}
	}
}

// gate is a stream whose first Write waits for release; it records every Write it was given.
type gate struct {
	mu      sync.Mutex
	writes  [][]byte
	entered chan struct{}
	release chan struct{}
	err     error
}

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	first := len(g.writes) == 0
	g.writes = append(g.writes, append([]byte(nil), p...))
	g.mu.Unlock()
	if first {
		close(g.entered)
		<-g.release
		return len(p), nil
	}
	return len(p), g.err
}

// Events written while the stream is busy go out together in the next Write, each Write
// holding whole lines, and every caller learns how its own line fared.
func TestWriterGroupsEventsWrittenWhileBusy(t *testing.T) {
	out := &gate{entered: make(chan struct{}), release: make(chan struct{}), err: errors.New("disk full")}
	w := NewWriter(out)
	firstErr := make(chan error, 1)
	go func() { firstErr <- w.Write(Event{RequestID: "first"}) }()
	<-out.entered
	const n = 10
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- w.Write(Event{RequestID: fmt.Sprint(i)}) }()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		w.mu.Lock()
		queued := w.pending != nil && bytes.Count(w.pending.lines, []byte("\n")) == n
		w.mu.Unlock()
		if queued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the events never queued behind the busy stream")
		}
	}
	close(out.release)
	if err := <-firstErr; err != nil {
		t.Errorf("first event: got %v, want nil", err)
	}
	for range n {
		if err := <-errs; err == nil || err.Error() != "disk full" {
			t.Errorf("grouped event: got %v, want the stream's error", err)
		}
	}
	if len(out.writes) != 2 {
		t.Fatalf("got %d writes, want 2 (the first event, then the other %d together)", len(out.writes), n)
	}
	for _, p := range out.writes {
		for _, l := range bytes.SplitAfter(p, []byte("\n")) {
			if len(l) > 0 && (!bytes.HasPrefix(l, []byte(`{"log_type":"audit"`)) || !bytes.HasSuffix(l, []byte("}\n"))) {
				t.Fatalf("got a partial line %q", l)
			}
		}
	}
}
