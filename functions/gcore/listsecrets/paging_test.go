package listsecrets

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoretest"
)

// gcGoGet sends what GC-go's SecretService.List sends for one page (requestconfig.go: the
// APIKey scheme, the Gcore/Go User-Agent, the X-Stainless-* headers; apiquery encodes limit and
// offset as plain integers and omits a zero offset) and decodes the page as its OffsetPage does.
func gcGoGet(t *testing.T, srv *httptest.Server, path string, offset int64) listed {
	t.Helper()
	q := url.Values{}
	if offset != 0 {
		q.Set("offset", fmt.Sprint(offset))
	}
	u := srv.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, _ := http.NewRequest("GET", u, nil)
	gcoretest.SetSDKHeaders(req, "APIKey "+gcoretest.TokenAll)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: status %d", u, res.StatusCode)
	}
	var l listed
	if err := json.NewDecoder(res.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestOffsetPagingSeesEverySecretOnce walks 2500 secrets the way GC-go's ListAutoPaging does
// (next offset = offset + len(results), while it is below count, stopping on an empty page),
// with more secrets created between pages: every secret that existed at the start is seen
// exactly once, count is the total at each page, and the pager ends.
func TestOffsetPagingSeesEverySecretOnce(t *testing.T) {
	e := newEnv(t)
	scope := gcore.Scope{Project: 1, Region: 76}
	e.seed(t, scope, 0, 2500)
	srv := httptest.NewServer(e.h)
	defer srv.Close()

	seen := map[string]int{}
	var offset int64
	pages := 0
	for {
		l := gcGoGet(t, srv, "/cloud/v1/secrets/1/76", offset)
		pages++
		if want := 2500 + 10*(pages-1); l.Count != want {
			t.Fatalf("page %d: got count %d, want the total %d", pages, l.Count, want)
		}
		if len(l.Results) == 0 {
			break
		}
		for _, r := range l.Results {
			seen[r.ID]++
		}
		offset += int64(len(l.Results))
		if offset >= int64(l.Count) {
			break
		}
		if pages > 10 {
			t.Fatal("the pager does not end")
		}
		// Ten newer secrets arrive between pages.
		e.seed(t, scope, 3000+10*(pages-1), 10)
	}
	for i := range 2500 {
		if n := seen[secretID(i)]; n != 1 {
			t.Fatalf("secret %d seen %d times, want once", i, n)
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("secret %s seen %d times", id, n)
		}
	}
	if pages != 3 || len(seen) != 2520 {
		t.Errorf("got %d pages and %d secrets, want 3 pages (1000, 1000, 520) and 2520", pages, len(seen))
	}
}
