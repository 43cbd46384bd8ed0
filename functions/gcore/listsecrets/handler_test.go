package listsecrets

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretest"
	"keyport/shared/operation"
	"keyport/shared/store"
)

func list(t *testing.T, h http.Handler, token, target string) listed {
	t.Helper()
	w := gcoretest.Do(h, "GET", target, gcoretest.APIKey(token), "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: got %d %q %s, want 200 application/json", target, w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var l listed
	if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func names(l listed) string {
	var out []string
	for _, r := range l.Results {
		out = append(out, r.Name)
	}
	return strings.Join(out, " ")
}

func TestList(t *testing.T) {
	e := newEnv(t)
	e.seed(t, gcore.Scope{Project: 1, Region: 76}, 0, 5)
	e.seed(t, gcore.Scope{Project: 1, Region: 7}, 10, 1)   // another region of the project; "7" is a prefix of "76"
	e.seed(t, gcore.Scope{Project: 1, Region: 760}, 11, 1) // and "76" a prefix of "760"
	e.seed(t, gcore.Scope{Project: 2, Region: 76}, 20, 2)  // another project the key reaches
	e.seed(t, gcore.Scope{Project: 3, Region: 7}, 30, 1)   // a project only TokenRegion7 reaches
	tests := []struct {
		name, token, target string
		wantCount           int
		wantNames           string
	}{
		{"defaults: everything, oldest first", gcoretest.TokenAll, "/cloud/v1/secrets/1/76", 5, "s0 s1 s2 s3 s4"},
		{"limit", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=2", 5, "s0 s1"},
		{"limit and offset", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=2&offset=2", 5, "s2 s3"},
		{"last partial page", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=2&offset=4", 5, "s4"},
		{"offset past the end", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?offset=5", 5, ""},
		{"huge offset", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?offset=9223372036854775807", 5, ""},
		{"huge offset and the largest limit", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=1000&offset=9223372036854775806", 5, ""},
		{"the largest limit from the last secret", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=1000&offset=4", 5, "s4"},
		{"bounds", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=1000&offset=0", 5, "s0 s1 s2 s3 s4"},
		{"leading zeros", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=01&offset=00", 5, "s0"},
		{"unknown parameter ignored", gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=1&name=x", 5, "s0"},
		{"region 7 only", gcoretest.TokenAll, "/cloud/v1/secrets/1/7", 1, "s10"},
		{"region 760 only", gcoretest.TokenAll, "/cloud/v1/secrets/1/760", 1, "s11"},
		{"project 2 only", gcoretest.TokenAll, "/cloud/v1/secrets/2/76", 2, "s20 s21"},
		{"empty region", gcoretest.TokenAll, "/cloud/v1/secrets/2/1", 0, ""},
		{"region-limited token", gcoretest.TokenRegion7, "/cloud/v1/secrets/3/7", 1, "s30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := list(t, e.h, tt.token, tt.target)
			if l.Count != tt.wantCount || names(l) != tt.wantNames || l.Results == nil {
				t.Fatalf("got count %d results [%s] (nil: %v), want count %d results [%s]", l.Count, names(l), l.Results == nil, tt.wantCount, tt.wantNames)
			}
		})
	}
}

func TestGoldenList(t *testing.T) {
	e := newEnv(t)
	e.seed(t, gcore.Scope{Project: 1, Region: 76}, 0, 2)
	s := secretAt(5)
	s.Algorithm, s.Mode, s.BitLength, s.Expiration = "aes", "cbc", 256, base.AddDate(70, 0, 0)
	if err := e.store.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: s.Record(gcore.Scope{Project: 1, Region: 76})}}}); err != nil {
		t.Fatal(err)
	}
	w := gcoretest.Do(e.h, "GET", "/cloud/v1/secrets/1/76?limit=2&offset=1", gcoretest.APIKey(gcoretest.TokenAll), "")
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	gcoretest.Golden(t, "list", w.Body.Bytes())
}

// TestTiesKeepOneOrder: secrets created in the same instant are listed by id, the same way
// on every call, so paging over them still sees each once.
func TestTiesKeepOneOrder(t *testing.T) {
	e := newEnv(t)
	var tx store.Tx
	for _, id := range []string{"c0000000-0000-4000-8000-000000000000", "a0000000-0000-4000-8000-000000000000", "b0000000-0000-4000-8000-000000000000"} {
		s := gcoresecret.Secret{ID: id, Name: id[:1], SecretType: "opaque", PayloadContentType: "text/plain", Created: base}
		tx = append(tx, store.Action{Put: &store.Put{Record: s.Record(gcore.Scope{Project: 1, Region: 76})}})
	}
	if err := e.store.Apply(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for off := range 3 {
		l := list(t, e.h, gcoretest.TokenAll, "/cloud/v1/secrets/1/76?limit=1&offset="+string(rune('0'+off)))
		got = append(got, names(l))
	}
	if strings.Join(got, " ") != "a b c" {
		t.Fatalf("got %v, want a b c", got)
	}
}

// TestExpiredAreGone: an expired secret is neither listed nor counted.
func TestExpiredAreGone(t *testing.T) {
	e := newEnv(t)
	e.seed(t, gcore.Scope{Project: 1, Region: 76}, 0, 2)
	s := secretAt(9)
	s.Expiration = time.Now().Add(300 * time.Millisecond)
	if err := e.store.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: s.Record(gcore.Scope{Project: 1, Region: 76})}}}); err != nil {
		t.Fatal(err)
	}
	if l := list(t, e.h, gcoretest.TokenAll, "/cloud/v1/secrets/1/76"); l.Count != 3 {
		t.Fatalf("before expiry: got count %d, want 3", l.Count)
	}
	time.Sleep(400 * time.Millisecond)
	if l := list(t, e.h, gcoretest.TokenAll, "/cloud/v1/secrets/1/76"); l.Count != 2 || names(l) != "s0 s1" {
		t.Fatalf("after expiry: got count %d [%s], want 2 [s0 s1]", l.Count, names(l))
	}
}

func TestRefusals(t *testing.T) {
	e := newEnv(t)
	e.seed(t, gcore.Scope{Project: 1, Region: 76}, 0, 1)
	tests := []struct {
		name       string
		header     http.Header
		target     string
		wantStatus int
		wantClass  string
		wantFields []string // in invalid_fields
		wantMsg    string
	}{
		{"no Authorization", nil, "/cloud/v1/secrets/1/76", 401, "NotAuthenticated", nil, "Authentication credentials were not provided."},
		{"wrong token", gcoretest.APIKey("nope"), "/cloud/v1/secrets/1/76", 401, "AuthenticationFailed", nil, "Bad permanent token."},
		{"project not granted", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/3/7", 404, "NotFoundError", nil, "Project 3 could not be found"},
		{"region not granted", gcoretest.APIKey(gcoretest.TokenRegion7), "/cloud/v1/secrets/3/8", 404, "NotFoundError", nil, "Region 8 could not be found"},
		{"project not a number", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/one/76", 404, "NotFoundError", nil, "Not found."},
		{"limit zero", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=0", 400, "ValidationError", []string{"limit"}, "must be an integer from 1 to 1000"},
		{"limit over 1000", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=1001", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit negative", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=-1", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit with sign", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=%2B5", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit empty", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit not a number", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=ten", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit fraction", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=1.5", 400, "ValidationError", []string{"limit"}, "from 1 to 1000"},
		{"limit twice", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=1&limit=2", 400, "ValidationError", []string{"limit"}, "must be given once"},
		{"offset negative", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?offset=-1", 400, "ValidationError", []string{"offset"}, "from 0 to"},
		{"offset overflows", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?offset=9223372036854775808", 400, "ValidationError", []string{"offset"}, "from 0 to"},
		{"offset bad escape", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?offset=%zz", 400, "ValidationError", []string{"offset"}, "URL encoding"},
		{"both bad", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?limit=0&offset=x", 400, "ValidationError", []string{"limit", "offset"}, "Validation Error"},
		{"name not URL encoding", gcoretest.APIKey(gcoretest.TokenAll), "/cloud/v1/secrets/1/76?%zz=1", 400, "ValidationError", nil, "not valid URL encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := gcoretest.Do(e.h, "GET", tt.target, tt.header, "")
			gcoretest.CheckRefusal(t, w, tt.wantStatus, tt.wantClass, tt.wantFields, tt.wantMsg)
			if tt.name == "limit zero" {
				gcoretest.Golden(t, "error-limit", w.Body.Bytes())
			}
		})
	}
}

func TestBadMethodWhenMountedAlone(t *testing.T) {
	e := newEnv(t)
	w := gcoretest.Do(Row.Serve(operation.Deps{Store: e.store, Creds: gcoretest.Book(t)}), "PUT", "/cloud/v1/secrets/1/76", gcoretest.APIKey(gcoretest.TokenAll), "")
	gcoretest.CheckBadMethod(t, w, "GET")
}

func TestServerFaults(t *testing.T) {
	tests := []struct {
		name  string
		store gcoretest.BrokenLister
	}{
		{"store fails", gcoretest.BrokenLister{Err: errors.New("dynamodb: throttled")}},
		{"store says bad cursor", gcoretest.BrokenLister{Err: store.ErrBadCursor}},
		{"unreadable record", gcoretest.BrokenLister{Page: store.Page{Records: []store.Record{{Ref: gcoresecret.Ref(gcore.Scope{Project: 1, Region: 76}, "x")}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := gcoretest.Serve(operation.Deps{Store: tt.store, Creds: gcoretest.Book(t)}, Row)
			w := gcoretest.Do(h, "GET", "/cloud/v1/secrets/1/76", gcoretest.APIKey(gcoretest.TokenAll), "")
			if got := gcoretest.CheckInternal(t, w); strings.Contains(got.Message, "dynamodb") {
				t.Fatalf("message %q echoes the cause", got.Message)
			}
		})
	}
}
