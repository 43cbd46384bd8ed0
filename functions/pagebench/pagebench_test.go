package pagebench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"keyport/functions/alibaba/createsecret"
	alibabalist "keyport/functions/alibaba/listsecrets"
	gcorecreate "keyport/functions/gcore/createsecret"
	gcorelist "keyport/functions/gcore/listsecrets"
	"keyport/functions/gcore/listtasks"
	kmcreate "keyport/functions/keymanager/createsecret"
	kmlist "keyport/functions/keymanager/listsecrets"
	"keyport/functions/tencent/createapikey"
	"keyport/functions/tencent/describeapikeysstatus"
	"keyport/shared/api/alibaba/alibabatest"
	"keyport/shared/api/keymanager"
	"keyport/shared/api/tencent"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/localdata"
	"keyport/shared/operation"
	"keyport/shared/pages/pagestest"
)

// sizes are the tenants' sizes: KEYPORT_PAGE_SIZES (comma-separated) or 1,000, 10,000 and
// 100,000.
func sizes() []int {
	out := []int{1000, 10000, 100000}
	if env := os.Getenv("KEYPORT_PAGE_SIZES"); env != "" {
		out = nil
		for f := range strings.SplitSeq(env, ",") {
			if n, err := strconv.Atoi(f); err == nil && n > 0 {
				out = append(out, n)
			}
		}
	}
	return out
}

// world is one bolt file holding a tenant of n records of every listed kind: n Alibaba
// secrets, n K5 secrets, n Gcore secrets (and their n tasks), n Tencent keys, each created by
// its create operation's own handler and written 1,000 to a transaction (pagestest.Capture).
type world struct {
	data *localdata.Data
}

var (
	worldsMu sync.Mutex
	worlds   = map[int]*world{}
	dir      string
)

func TestMain(m *testing.M) {
	var err error
	if dir, err = os.MkdirTemp("", "keyport-pagebench-"); err != nil {
		panic(err)
	}
	code := m.Run()
	for _, w := range worlds {
		w.data.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// base is the first record's creation time; records are created one millisecond apart.
var base = time.Date(2026, 1, 5, 6, 7, 8, 0, time.UTC)

func worldOf(b *testing.B, n int) *world {
	worldsMu.Lock()
	defer worldsMu.Unlock()
	if w, ok := worlds[n]; ok {
		return w
	}
	start := time.Now()
	data, err := localdata.Open(fmt.Sprintf("%s/%d", dir, n))
	if err != nil {
		b.Fatal(err)
	}
	capture := pagestest.NewCapture(data.Store)
	var now time.Time
	deps := operation.Deps{Store: capture, Sealer: data.Sealer, Creds: credentials.Dev(), Now: func() time.Time { return now }, KeyLimit: int64(n)}
	creates := []struct {
		h   http.Handler
		req func(i int) *http.Request
	}{
		{createsecret.Row.Serve(deps), func(i int) *http.Request {
			return alibabatest.Call{Method: http.MethodPost, Target: "/v1/secrets", Action: "CreateSecret", Key: alibabatest.Dev, Date: now,
				Body: alibabatest.CreateBody(fmt.Sprintf("secret_%06d", i), "v")}.Request()
		}},
		{kmcreate.Row(keymanager.K5).Serve(deps), func(i int) *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/v1/"+credentials.DevK5Tenant+"/secrets",
				strings.NewReader(fmt.Sprintf(`{"name":"secret-%06d","payload":"/wA=","payload_content_type":"application/octet-stream","payload_content_encoding":"base64"}`, i)))
			r.Header.Set("X-Auth-Token", credentials.DevK5Token)
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
		{gcorecreate.Row.Serve(deps), func(i int) *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/cloud/v1/secrets/1/76",
				strings.NewReader(fmt.Sprintf(`{"name":"secret-%06d","payload":"aGVsbG8=","payload_content_encoding":"base64","payload_content_type":"application/octet-stream","secret_type":"opaque"}`, i)))
			r.Header.Set("Authorization", "APIKey "+credentials.DevGcoreAPIKey)
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
		{createapikey.Row.Serve(deps), func(i int) *http.Request {
			return tencenttest.Request{Action: "CreateApiKey", Version: tencent.APIGateway.Version, Service: tencent.APIGateway.Service,
				Body: fmt.Sprintf(`{"SecretName":"key-%06d","AccessKeyType":"auto"}`, i), Time: now}.HTTP(b)
		}},
	}
	for i := range n {
		now = base.Add(time.Duration(i) * time.Millisecond)
		for _, c := range creates {
			w := httptest.NewRecorder()
			c.h.ServeHTTP(w, c.req(i))
			if w.Code/100 != 2 || strings.Contains(w.Body.String(), `"Error"`) {
				b.Fatalf("create %d: %d %s", i, w.Code, w.Body)
			}
		}
		if capture.Len() >= 4000 || i == n-1 {
			if err := capture.Flush(context.Background(), data.Store, 1000); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Logf("seeded %d records of each kind in %v", n, time.Since(start).Round(time.Millisecond))
	w := &world{data: data}
	worlds[n] = w
	return w
}

// list is one list operation: its row, and the request of a page of 100 at offset.
type list struct {
	name string
	row  operation.Row
	req  func(b *testing.B, offset int) *http.Request
	ok   func(body []byte) bool
}

var lists = []list{
	{"alibaba.ListSecrets", alibabalist.Row, func(b *testing.B, offset int) *http.Request {
		return alibabatest.Call{Target: fmt.Sprintf("/v1/secrets?pageSize=100&pageNumber=%d", offset/100+1), Action: "ListSecrets"}.Request()
	}, func(body []byte) bool {
		var r struct{ Data struct{ Items []any } }
		return json.Unmarshal(body, &r) == nil && len(r.Data.Items) == 100
	}},
	{"k5.ListSecrets", kmlist.Row(keymanager.K5), func(b *testing.B, offset int) *http.Request {
		r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/v1/%s/secrets?limit=100&offset=%d", credentials.DevK5Tenant, offset), nil)
		r.Header.Set("X-Auth-Token", credentials.DevK5Token)
		return r
	}, func(body []byte) bool {
		var r struct{ Secrets []any }
		return json.Unmarshal(body, &r) == nil && len(r.Secrets) == 100
	}},
	{"gcore.ListSecrets", gcorelist.Row, func(b *testing.B, offset int) *http.Request {
		r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/cloud/v1/secrets/1/76?limit=100&offset=%d", offset), nil)
		r.Header.Set("Authorization", "APIKey "+credentials.DevGcoreAPIKey)
		return r
	}, gcoreOK},
	{"gcore.ListTasks", listtasks.Row, func(b *testing.B, offset int) *http.Request {
		r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/cloud/v1/tasks?limit=100&offset=%d", offset), nil)
		r.Header.Set("Authorization", "APIKey "+credentials.DevGcoreAPIKey)
		return r
	}, gcoreOK},
	{"tencent.DescribeApiKeysStatus", describeapikeysstatus.Row, func(b *testing.B, offset int) *http.Request {
		return tencenttest.Request{Action: "DescribeApiKeysStatus", Version: tencent.APIGateway.Version, Service: tencent.APIGateway.Service,
			Body: fmt.Sprintf(`{"Limit":100,"Offset":%d}`, offset)}.HTTP(b)
	}, func(body []byte) bool {
		var r struct {
			Response struct{ Result struct{ ApiKeySet []any } }
		}
		return json.Unmarshal(body, &r) == nil && len(r.Response.Result.ApiKeySet) == 100
	}},
}

func gcoreOK(body []byte) bool {
	var r struct{ Results []any }
	return json.Unmarshal(body, &r) == nil && len(r.Results) == 100
}

// BenchmarkPages serves a page of 100 of every list operation, at offset 0 and at a deep
// offset (90% of the tenant), through the operation's handler on the embedded store wrapped
// in a counter, and reports the page's latency (p50 and p99 over the iterations, in ms) and
// the records and bytes it read from the store.
func BenchmarkPages(b *testing.B) {
	for _, n := range sizes() {
		for _, l := range lists {
			for _, offset := range []int{0, n * 9 / 10} {
				b.Run(fmt.Sprintf("%s/tenant=%d/offset=%d", l.name, n, offset), func(b *testing.B) {
					w := worldOf(b, n)
					counting := pagestest.NewCounting(w.data.Store)
					h := l.row.Serve(operation.Deps{Store: counting, Sealer: w.data.Sealer, Creds: credentials.Dev(), Now: time.Now})
					measure(b, h, counting, func() *http.Request { return l.req(b, offset) }, l.ok)
				})
			}
		}
	}
}

// measure serves b.N requests made by req through h (whose store is counting), fails on an
// answer that is not 200 or that ok refuses, and reports the latency's p50 and p99 over them and
// the records and bytes the last one read.
func measure(b *testing.B, h http.Handler, counting *pagestest.Counting, req func() *http.Request, ok func(body []byte) bool) {
	lat := make([]time.Duration, 0, b.N)
	var reads pagestest.Reads
	b.ResetTimer()
	for range b.N {
		r := req()
		counting.Reset()
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, r)
		lat = append(lat, time.Since(start))
		reads = counting.Reads()
		if rec.Code != http.StatusOK || !ok(rec.Body.Bytes()) {
			b.Fatalf("%s %s: %d %.300s", r.Method, r.URL, rec.Code, rec.Body)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)*99/100, len(lat)-1)]), "p99-ms")
	b.ReportMetric(float64(reads.Records), "records/page")
	b.ReportMetric(float64(reads.Bytes), "bytes/page")
	b.ReportMetric(0, "ns/op")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkNameLookup is Barbican's name filter, as terraform-provider-openstack's secret data
// source sends it: GET secrets?name=<one secret's name> in the K5 tenant. "index" is the exact
// name, read from the attribute index on name; "scan" is the same secret behind a leading
// wildcard (name=%<rest>), which no index serves, so it scans every entry of the project as
// every name filter did before the index. Both find the one secret.
func BenchmarkNameLookup(b *testing.B) {
	h := kmlist.Row(keymanager.K5)
	for _, n := range sizes() {
		name := fmt.Sprintf("secret-%06d", n/2)
		for _, c := range []struct{ path, pattern string }{{"index", name}, {"scan", "%25" + name[1:]}} {
			b.Run(fmt.Sprintf("%s/tenant=%d", c.path, n), func(b *testing.B) {
				w := worldOf(b, n)
				counting := pagestest.NewCounting(w.data.Store)
				serve := h.Serve(operation.Deps{Store: counting, Sealer: w.data.Sealer, Creds: credentials.Dev(), Now: time.Now})
				measure(b, serve, counting, func() *http.Request {
					r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/v1/%s/secrets?name=%s", credentials.DevK5Tenant, c.pattern), nil)
					r.Header.Set("X-Auth-Token", credentials.DevK5Token)
					return r
				}, func(body []byte) bool {
					var page struct {
						Total   int
						Secrets []struct{ Name string }
					}
					return json.Unmarshal(body, &page) == nil && page.Total == 1 && page.Secrets[0].Name == name
				})
			})
		}
	}
}
