package localserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	awsevents "github.com/aws/aws-lambda-go/events"

	"keyport/events"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/store"
)

// mutationBudget bounds the mutation run: it stops at whichever comes first.
const (
	mutationBudget   = 40 * time.Second
	mutationRequests = 60000
)

// TestMutatedRequests is a server-level mutation run: the event of every function (a valid
// request of every operation), mutated in its path, query, headers, method or body, signed
// after mutating, is sent to the in-process server with its real budgets. Every answer must be
// complete (within hangBound: no hang), never a 5xx, and JSON wherever the vendor speaks JSON; records no
// request can reach (other tenants') must read back unchanged. The seed is logged, so a failure
// can be replayed with KEYPORT_MUTATION_SEED.
// hangBound tells a hang (a request waiting for bytes that never come, answered only by a 30 s
// timeout) from a slow answer: speed is for the benchmarks. A token request pays a slow password
// hash on purpose, which took 1.5 s under -race on a loaded 2-core machine.
const hangBound = 5 * time.Second

func TestMutatedRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("the mutation run takes about a minute")
	}
	seed := uint64(time.Now().UnixNano())
	if s := envSeed(); s != 0 {
		seed = s
	}
	t.Logf("seed %d (set KEYPORT_MUTATION_SEED to replay)", seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	data := localdatatest.Open(t)
	unrelated := seedUnrelated(t, data.Store)
	addr, logs, _ := edgeServerOn(t, data)
	client := &http.Client{Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	base := loadEvents(t)
	deadline := time.Now().Add(mutationBudget)
	sent, statuses := 0, map[int]int{}
	for ; sent < mutationRequests && time.Now().Before(deadline); sent++ {
		fn := base[rng.IntN(len(base))]
		ev := mutate(rng, fn.event)
		req, err := signedRequest(ev, addr)
		if err != nil {
			continue // a mutation the signer or net/http cannot express: nothing was sent
		}
		what := fmt.Sprintf("%s mutated (%s %s?%s)", fn.name, req.Method, req.URL.EscapedPath(), req.URL.RawQuery)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: got %v, want an answer", what, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		statuses[resp.StatusCode]++
		switch {
		case err != nil:
			t.Fatalf("%s: got %v reading the answer, want it whole", what, err)
		case took > hangBound:
			t.Errorf("%s: answered in %v, want within %v", what, took, hangBound)
		case resp.StatusCode >= 500:
			t.Errorf("%s: got %d %s, want no server fault for a client's request", what, resp.StatusCode, body)
		case !answerIsJSON(fn.name, resp, body):
			t.Errorf("%s: got %d %q (Content-Type %q), want JSON", what, resp.StatusCode, body, resp.Header.Get("Content-Type"))
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("%d mutated requests; answers by status: %v", sent, statuses)
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("the log mentions a panic")
	}
	for _, want := range unrelated {
		got, err := data.Store.Get(context.Background(), want.Ref)
		if err != nil || !reflect.DeepEqual(got.Attrs, want.Attrs) || !bytes.Equal(got.Sealed, want.Sealed) || got.Version != 1 {
			t.Errorf("unrelated record %s: got %+v, %v; want it unchanged", want.Ref, got, err)
		}
	}
}

func envSeed() uint64 {
	var s uint64
	fmt.Sscan(strings.TrimSpace(os.Getenv("KEYPORT_MUTATION_SEED")), &s)
	return s
}

// answerIsJSON: every error answer is in the vendor's JSON envelope; a success is JSON, empty
// (204), or a key manager payload read (the secret's own bytes). A HEAD answer has no body.
func answerIsJSON(fn string, resp *http.Response, body []byte) bool {
	if resp.Request.Method == http.MethodHead || len(body) == 0 && resp.StatusCode < 300 || resp.StatusCode == http.StatusNoContent {
		return true
	}
	if resp.StatusCode < 300 && (strings.HasPrefix(fn, "k5-") || strings.HasPrefix(fn, "barbican-")) &&
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return true // a payload (GET …/payload, or GET secrets/{id} with a non-JSON Accept)
	}
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && json.Valid(body)
}

type baseEvent struct {
	name  string
	event awsevents.APIGatewayV2HTTPRequest
}

func loadEvents(t *testing.T) []baseEvent {
	t.Helper()
	var out []baseEvent
	for _, fn := range events.Functions() {
		raw, err := events.Load(fn)
		if err != nil {
			t.Fatal(err)
		}
		var ev awsevents.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, baseEvent{fn, ev})
	}
	return out
}

// seedUnrelated writes records under tenants no development credential can reach, in every
// service's kinds: no request of the run may change them.
func seedUnrelated(t *testing.T, st store.Store) []store.Record {
	t.Helper()
	var recs []store.Record
	var tx store.Tx
	for _, service := range []string{"alibaba-apig", "tencent-apigateway", "tencent-teo", "gcore-cloud", "k5-keymanager"} {
		for _, kind := range []string{"secret", "secretname", "apikey", "zonekey", "task", "name"} {
			for _, tenant := range []string{"1000000000000002", "2", "2/76", "b1f2e3d4c5b6a7980f1e2d3c4b5a6978", "100000000002"} {
				r := store.Record{Ref: store.Ref{Service: service, Tenant: tenant, Kind: kind, ID: "unrelated-" + kind},
					Attrs: store.Attrs{"name": "unrelated", "n": int64(7)}, Sealed: []byte("not a real blob")}
				recs = append(recs, r)
				tx = append(tx, store.Action{Put: &store.Put{Record: r}})
			}
		}
	}
	for len(tx) > 0 {
		n := min(len(tx), 25)
		if err := st.Apply(context.Background(), tx[:n]); err != nil {
			t.Fatal(err)
		}
		tx = tx[n:]
	}
	return recs
}

// signedRequest turns ev, signed now as its vendor requires, into a request to addr.
func signedRequest(ev awsevents.APIGatewayV2HTTPRequest, addr string) (*http.Request, error) {
	raw, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	if raw, err = events.Sign(raw, time.Now()); err != nil {
		return nil, err
	}
	var signed awsevents.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &signed); err != nil {
		return nil, err
	}
	u := &url.URL{Scheme: "http", Host: addr, Path: signed.RawPath, RawQuery: signed.RawQueryString}
	req, err := http.NewRequest(signed.RequestContext.HTTP.Method, u.String(), strings.NewReader(signed.Body))
	if err != nil {
		return nil, err
	}
	for k, v := range signed.Headers {
		if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return nil, fmt.Errorf("header %s: a value net/http's client refuses to send", k)
		}
		switch k {
		case "host", "content-length":
		default:
			req.Header.Set(k, v)
		}
	}
	// The signatures cover the Host the event names; the server sees it as the request's Host.
	req.Host = signed.Headers["host"]
	return req, nil
}

// mutate returns a copy of ev changed by one to three mutations.
func mutate(rng *rand.Rand, ev awsevents.APIGatewayV2HTTPRequest) awsevents.APIGatewayV2HTTPRequest {
	out := ev
	out.Headers = map[string]string{}
	for k, v := range ev.Headers {
		out.Headers[k] = v
	}
	for range 1 + rng.IntN(3) {
		mutations[rng.IntN(len(mutations))](rng, &out)
	}
	out.RequestContext.HTTP.Path = out.RawPath
	return out
}

// hostile are values that have broken parsers: huge and negative numbers, overflowing ones,
// control and invisible characters, separators, and long strings.
var hostile = []string{"", " ", "0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"1e309", "NaN", "null", "true", "[]", "{}", "\u2028", "\u200b", "\u00a0", "\x00", "%", "%00", "..", ".", "//",
	"a/b", "?", "#", "é", strings.Repeat("x", 300), strings.Repeat("9", 40)}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

var mutations = []func(*rand.Rand, *awsevents.APIGatewayV2HTTPRequest){
	// path: a segment replaced, added, dropped, or made non-canonical
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		segs := strings.Split(ev.RawPath, "/")
		segs[rng.IntN(len(segs))] = pick(rng, hostile)
		ev.RawPath = strings.Join(segs, "/")
	},
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		ev.RawPath += pick(rng, []string{"/", "//", "/.", "/..", "/x", "/payload", "/metadata", "/acl"})
	},
	// query: hostile paging and filters, repeated or unknown names
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		name := pick(rng, []string{"offset", "limit", "pageNumber", "pageSize", "name", "nameLike", "secret_type",
			"created", "sort", "alg", "bits", "mode", "gatewayType", "x"})
		q := ev.RawQueryString
		if q != "" {
			q += "&"
		}
		ev.RawQueryString = q + url.QueryEscape(name) + "=" + url.QueryEscape(pick(rng, hostile))
	},
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		q, err := url.ParseQuery(ev.RawQueryString)
		if err != nil || len(q) == 0 {
			return
		}
		var names []string
		for k := range q {
			names = append(names, k)
		}
		q.Set(pick(rng, names), pick(rng, hostile))
		ev.RawQueryString = q.Encode()
	},
	// method
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		ev.RequestContext.HTTP.Method = pick(rng, []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
	},
	// headers: one dropped, or set to a hostile value, or an Expect
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		for k := range ev.Headers {
			if k != "host" && k != "authorization" && rng.IntN(3) == 0 {
				delete(ev.Headers, k)
				return
			}
		}
	},
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		name := pick(rng, []string{"content-type", "accept", "x-tc-version", "x-tc-action", "x-tc-region",
			"x-acs-action", "x-acs-version", "x-auth-token", "x-project-id", "content-encoding", "expect"})
		value := pick(rng, append(hostile, "application/json", "text/plain", "application/octet-stream"))
		if name == "expect" {
			// Any other Expect value is answered 417 by net/http before keyport sees the request.
			value = "100-continue"
		}
		ev.Headers[name] = value
	},
	// body: JSON fields removed, retyped or made hostile; or the body cut or replaced
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) { ev.Body = mutateJSON(rng, ev.Body) },
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) { ev.Body = mutateJSON(rng, ev.Body) },
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		if len(ev.Body) > 0 {
			ev.Body = ev.Body[:rng.IntN(len(ev.Body))]
		}
	},
	func(rng *rand.Rand, ev *awsevents.APIGatewayV2HTTPRequest) {
		ev.Body = pick(rng, []string{"", "{}", "[]", "null", "{\"a\":", strings.Repeat("[", 5000), "\xff\xfe"})
	},
}

// mutateJSON changes one top-level (or one nested) field of a JSON object body.
func mutateJSON(rng *rand.Rand, body string) string {
	var obj map[string]any
	if json.Unmarshal([]byte(body), &obj) != nil || len(obj) == 0 {
		return body
	}
	target := obj
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return ks
	}
	k := pick(rng, keys(target))
	if inner, ok := target[k].(map[string]any); ok && len(inner) > 0 && rng.IntN(2) == 0 {
		target, k = inner, pick(rng, keys(inner))
	}
	switch rng.IntN(5) {
	case 0:
		delete(target, k)
	case 1:
		target[k] = pick(rng, []any{nil, true, 1.5, -1, 9.3e18, 1e300, []any{}, map[string]any{}, []any{"a", 1}})
	case 2:
		target[k] = pick(rng, hostile)
	case 3:
		target[pick(rng, hostile)] = "x"
	default:
		if s, ok := target[k].(string); ok {
			target[k] = s + pick(rng, hostile)
		}
	}
	out, _ := json.Marshal(obj)
	return string(out)
}
