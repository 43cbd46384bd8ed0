package listsecrets

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"keyport/functions/alibaba/createsecret"
	at "keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/store"
)

func listCall(query string) at.Call {
	return at.Call{Target: "/v1/secrets" + query, Action: "ListSecrets"}
}

// names lists the names of a page's items, in order, checking that each has every field APIG
// documents on a list item and neither a description nor a value.
func names(t *testing.T, res at.Response) []string {
	t.Helper()
	items, ok := res.Data()["items"].([]any)
	if !ok {
		t.Fatalf("got %s, want data.items", res.Raw)
	}
	out := []string{}
	for _, it := range items {
		m := it.(map[string]any)
		if _, ok := m["description"]; ok {
			t.Errorf("got description in a list item %v, want none", m)
		}
		if _, ok := m["secretData"]; ok {
			t.Errorf("got a value in a list item %v", m)
		}
		for _, field := range []string{"gatewayType", "secretSource", "kmsConfig"} {
			if _, ok := m[field]; !ok {
				t.Errorf("got list item %v, want %s in it", m, field)
			}
		}
		out = append(out, m["name"].(string))
	}
	return out
}

// TestListSecrets creates secrets in a known order (a clock a second apart per create) and
// checks filters, order, paging and totals, and that another account's secrets never show. The
// newest, delta, is stored as a secret created before gatewayType was required: no gatewayType
// filter matches it.
func TestListSecrets(t *testing.T) {
	e := at.NewEnv(t)
	clock := time.Now().Add(-time.Minute)
	tick := func() time.Time { clock = clock.Add(time.Second); return clock }
	create := at.ServeOn(createsecret.Row, e.Deps(tick))
	for _, s := range []struct{ name, gw string }{{"alpha", "API"}, {"Alpha_2", "AI"}, {"beta", "API"}, {"gamma_alpha", "AI"}} {
		at.Create(t, create, at.Dev, fmt.Sprintf(`{"name":%q,"secretData":"v","description":"d","gatewayType":%q,`+
			`"kmsConfig":{"kmsInstanceId":"kst-1","kmsKeyId":"key-1"}}`, s.name, s.gw))
	}
	newest := tick()
	delta := store.Record{Ref: apigsecret.Ref(at.Dev.Account, apigsecret.NewID(newest)), CreatedAt: newest,
		Attrs: store.Attrs{apigsecret.AttrName: "delta", apigsecret.AttrStatus: apigsecret.StatusEnabled, apigsecret.AttrDescription: "d"}}
	if err := e.Store.Apply(context.Background(), store.Tx{{Put: &store.Put{Record: delta}}}); err != nil {
		t.Fatal(err)
	}
	at.Create(t, create, at.Other, at.CreateBody("alpha_other_account", "v"))
	list := e.Serve(Row)
	for _, tc := range []struct {
		name, query string
		want        []string
		total       float64
		number      float64
		size        float64
	}{
		{"all, newest first", "", []string{"delta", "gamma_alpha", "beta", "Alpha_2", "alpha"}, 5, 1, 10},
		{"gatewayType API", "?gatewayType=API", []string{"beta", "alpha"}, 2, 1, 10},
		{"gatewayType AI", "?gatewayType=AI", []string{"gamma_alpha", "Alpha_2"}, 2, 1, 10},
		{"nameLike substring, case-sensitive", "?nameLike=alpha", []string{"gamma_alpha", "alpha"}, 2, 1, 10},
		{"nameLike upper case", "?nameLike=Alpha", []string{"Alpha_2"}, 1, 1, 10},
		{"both filters", "?gatewayType=AI&nameLike=alpha", []string{"gamma_alpha"}, 1, 1, 10},
		{"nameLike matching nothing", "?nameLike=zzz", []string{}, 0, 1, 10},
		{"page 2 of size 2", "?pageNumber=2&pageSize=2", []string{"beta", "Alpha_2"}, 5, 2, 2},
		{"last partial page", "?pageNumber=3&pageSize=2", []string{"alpha"}, 5, 3, 2},
		{"past the end", "?pageNumber=9&pageSize=2", []string{}, 5, 9, 2},
		{"empty values are absent", "?gatewayType=&nameLike=&pageNumber=&pageSize=", []string{"delta", "gamma_alpha", "beta", "Alpha_2", "alpha"}, 5, 1, 10},
		{"unknown parameters ignored", "?futureFilter=x", []string{"delta", "gamma_alpha", "beta", "Alpha_2", "alpha"}, 5, 1, 10},
		{"nameLike with escaped characters", "?nameLike=a%2Bb%20c", []string{}, 0, 1, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := at.Do(t, list, listCall(tc.query).Request())
			if res.Status != 200 || res.Code() != "Ok" {
				t.Fatalf("got %d %s, want 200", res.Status, res.Raw)
			}
			d := res.Data()
			if got := names(t, res); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if d["totalSize"] != tc.total || d["pageNumber"] != tc.number || d["pageSize"] != tc.size {
				t.Errorf("got totalSize %v pageNumber %v pageSize %v, want %v %v %v", d["totalSize"], d["pageNumber"], d["pageSize"], tc.total, tc.number, tc.size)
			}
			at.Golden(t, "list_"+tc.name, res)
		})
	}
}

// TestRefusals: each parameter out of its range is refused naming it, writing nothing.
func TestRefusals(t *testing.T) {
	e := at.NewEnv(t)
	list := e.Serve(Row)
	for _, tc := range []struct{ name, query, field string }{
		{"gatewayType lower case", "?gatewayType=api", "gatewayType"},
		{"gatewayType unknown", "?gatewayType=MSE", "gatewayType"},
		{"gatewayType twice", "?gatewayType=API&gatewayType=AI", "gatewayType"},
		{"pageNumber 0", "?pageNumber=0", "pageNumber"},
		{"pageNumber negative", "?pageNumber=-1", "pageNumber"},
		{"pageNumber over int32", "?pageNumber=2147483648", "pageNumber"},
		{"pageNumber fraction", "?pageNumber=1.5", "pageNumber"},
		{"pageSize 0", "?pageSize=0", "pageSize"},
		{"pageSize 101", "?pageSize=101", "pageSize"},
		{"pageSize not a number", "?pageSize=ten", "pageSize"},
		{"pageSize twice", "?pageSize=1&pageSize=2", "pageSize"},
		{"nameLike twice", "?nameLike=a&nameLike=b", "nameLike"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Count(t)
			res := at.Do(t, list, listCall(tc.query).Request())
			if res.Status != 400 || res.Code() != "InvalidParameter" || !strings.HasPrefix(res.Message(), tc.field+":") {
				t.Errorf("got %d %s, want 400 InvalidParameter naming %s", res.Status, res.Raw, tc.field)
			}
			if got := e.Count(t); got != n {
				t.Errorf("got %d records, want still %d", got, n)
			}
			at.Golden(t, "refuse_"+tc.name, res)
		})
	}
	if res := at.Do(t, list, at.Call{Method: http.MethodPatch, Target: "/v1/secrets"}.Request()); res.Status != 405 {
		t.Errorf("PATCH: got %d %s, want 405", res.Status, res.Raw)
	}
}

// TestQuerySigned: the query is part of what is signed, so a page size changed in transit is a
// bad signature.
func TestQuerySigned(t *testing.T) {
	e := at.NewEnv(t)
	list := e.Serve(Row)
	c := listCall("?pageSize=5")
	c.After = func(r *http.Request) { r.URL.RawQuery = "pageSize=6" }
	if res := at.Do(t, list, c.Request()); res.Status != 403 || res.Code() != "SignatureDoesNotMatch" {
		t.Errorf("got %d %s, want 403 SignatureDoesNotMatch", res.Status, res.Raw)
	}
}
