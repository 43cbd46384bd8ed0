package audit

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// line is an Event as json.Marshal writes it: the selecting field first. appendLine must write
// the same bytes.
type line struct {
	LogType string `json:"log_type"`
	Event
}

// oddStrings are strings JSON or encoding/json escapes: quotes, backslashes, control
// characters, HTML's <>&, U+2028/U+2029, invalid UTF-8, non-ASCII.
var oddStrings = []string{"", "plain-id_1.2:3/4", `quo"te`, `back\slash`, "tab\tnew\nline\rcr\bbs\fff\x00nul\x1fus\x7fdel",
	"<script>&amp;</script>", "line\u2028sep\u2029", "bad\xffutf8\xc3", "租户-ü-😀", strings.Repeat("x", MaxField+5) + "é"}

func TestAppendLineIsJSONMarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() string {
		if rng.IntN(3) == 0 {
			b := make([]byte, rng.IntN(12))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			return string(b)
		}
		return oddStrings[rng.IntN(len(oddStrings))]
	}
	times := []time.Time{{}, time.Date(2026, 12, 7, 8, 9, 10, 123456789, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 100, time.UTC), time.Unix(1, 10).UTC()}
	for i := range 5000 {
		e := Event{Time: times[i%len(times)], RequestID: pick(), TraceID: pick(), Dialect: pick(), Operation: pick(),
			Principal: pick(), Account: pick(), Resource: pick(), Action: pick(), Outcome: pick(), Status: rng.IntN(1000) - 100,
			Source: pick()}
		e = e.clipped()
		want, err := json.Marshal(line{LogType: LogType, Event: e})
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendLine(nil, e)
		if err != nil || string(got) != string(want) {
			t.Fatalf("event %+v:\n got %s (%v)\nwant %s", e, got, err, want)
		}
	}
	for _, y := range []int{-1, 10000} {
		e := Event{Time: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)}
		if _, err := json.Marshal(line{Event: e}); err == nil {
			t.Fatalf("json.Marshal accepts year %d", y)
		}
		if _, err := appendLine(nil, e); err == nil {
			t.Errorf("year %d: appendLine wrote it, want the error json.Marshal gives", y)
		}
	}
}

// FuzzAppendLine: whatever the strings, appendLine writes what json.Marshal writes.
func FuzzAppendLine(f *testing.F) {
	for _, s := range oddStrings {
		f.Add(s, s, int64(1765094950123456789))
	}
	f.Fuzz(func(t *testing.T, a, b string, nanos int64) {
		e := Event{Time: time.Unix(0, nanos).UTC(), RequestID: a, Principal: b, Resource: a + b, Action: b, Outcome: a, Source: b}
		e = e.clipped()
		want, werr := json.Marshal(line{LogType: LogType, Event: e})
		got, gerr := appendLine(nil, e)
		if (werr == nil) != (gerr == nil) || werr == nil && string(got) != string(want) {
			t.Fatalf("got %s (%v), want %s (%v)", got, gerr, want, werr)
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	w := NewWriter(discard{})
	e := Event{Time: time.Now(), RequestID: "4569418c-0b5e-4c6f-9a53-2f1f7b7f0a11", Dialect: "k5", Operation: "k5.GetSecret",
		Principal: "hmac:ca55d067ba2967ae14688da46f1f71d0", Account: "a759452216fd41cf8ee5aba321cfbd49",
		Resource: "e881a989-5c3e-4f1e-8d0a-6a4e1b1c2d3e", Outcome: "OK", Status: 200, Source: "127.0.0.1"}
	b.ReportAllocs()
	for range b.N {
		if err := w.Write(e); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
