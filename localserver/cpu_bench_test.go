package localserver

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"
)

// BenchmarkServerCPU measures what a request costs the server process itself: `keyport` is
// built and started as a separate process (embedded store and local key in a temporary data
// directory, request log to a file there, audit trail in its default file, loopback, a free
// port), and 16 closed-loop clients drive one scenario at a time for cpuBenchWindow (10 s;
// KEYPORT_BENCH_WINDOW overrides it, e.g. 3s). Per scenario it reports requests/s, the
// clients' p50/p99, and cpu-µs/req: the server's user+system CPU time (/proc/<pid>/stat)
// over the window divided by the requests answered in it. Scenarios: every dialect's create,
// metadata reads (no value opened) and payload reads (a value opened), then the same generator
// against a server that does no work (answers {} to everything; "noop/…"), the ceiling the
// clients and loopback allow on this machine. KEYPORT_BENCH_CPUPROFILE=FILE starts the server
// with -cpuprofile FILE (the whole life of the process: run one scenario with -bench);
// KEYPORT_BENCH_BIN=FILE runs that keyport binary instead of building this checkout's (to
// compare two commits' servers under the same load).
// Run it with `make bench` (-benchtime=1x).
func BenchmarkServerCPU(b *testing.B) {
	const workers = 16
	window := cpuBenchWindow(b)
	dir := b.TempDir()
	bin := os.Getenv("KEYPORT_BENCH_BIN")
	if bin == "" {
		bin = goBuild(b, dir, "keyport", "../cmd/keyport")
	}
	args := []string{"-data", filepath.Join(dir, "data"), "-apikey-limit", "1099511627776"}
	if prof := os.Getenv("KEYPORT_BENCH_CPUPROFILE"); prof != "" {
		args = append(args, "-cpuprofile", prof)
	}
	srv := startCPUProcess(b, bin, filepath.Join(dir, "requests.log"), args...)
	defer srv.stop(b)

	var next atomic.Int64 // distinct index per create, across scenarios
	var seed sync.Once
	var reads *cpuReads
	seeded := func(c *vendorClients) *cpuReads {
		seed.Do(func() { reads = seedCPUReads(b, c) })
		return reads
	}
	ctx := context.Background()
	type scenario struct {
		name string
		call func(c *vendorClients, i int) error
	}
	scenarios := []scenario{}
	for _, op := range operations {
		if op == "gcore" { // the create alone: BenchmarkLoad's gcore also polls its task
			scenarios = append(scenarios, scenario{"create/gcore", func(c *vendorClients, i int) error {
				return c.gcoreDo(ctx, http.MethodPost, "/cloud/v1/secrets/1/76", gcoreCreateBody(i), &struct{ Tasks []string }{})
			}})
			continue
		}
		scenarios = append(scenarios, scenario{"create/" + op, func(c *vendorClients, i int) error {
			return c.create(ctx, op, int(next.Add(1)), fmt.Sprintf("CpuBench_%08d_value", i))
		}})
	}
	scenarios = append(scenarios,
		scenario{"metadata/k5-get-secret", func(c *vendorClients, i int) error {
			_, err := secrets.Get(ctx, c.k5, seeded(c).k5[i%cpuSeeds]).Extract()
			return err
		}},
		scenario{"metadata/gcore-get-secret", func(c *vendorClients, i int) error {
			return c.gcoreDo(ctx, http.MethodGet, "/cloud/v1/secrets/1/76/"+seeded(c).gcore[i%cpuSeeds], nil, &struct{ ID string }{})
		}},
		scenario{"metadata/alibaba-get-secret", func(c *vendorClients, i int) error {
			_, err := c.alibaba.GetSecret(&seeded(c).alibaba[i%cpuSeeds])
			return err
		}},
		scenario{"payload/k5-get-payload", func(c *vendorClients, i int) error {
			_, err := secrets.GetPayload(ctx, c.k5, seeded(c).k5[i%cpuSeeds], secrets.GetPayloadOpts{PayloadContentType: "application/octet-stream"}).Extract()
			return err
		}},
		scenario{"payload/alibaba-get-secret-value", func(c *vendorClients, i int) error {
			seeded(c)
			_, err := c.alibaba.GetSecretValue(dara.String(fmt.Sprintf("cpuread_%d", i%cpuSeeds)))
			return err
		}},
		scenario{"payload/tencent-describe-api-key", func(c *vendorClients, i int) error {
			seeded(c)
			var api struct {
				Result struct{ AccessKeySecret string }
			}
			return c.tencentRead("apigateway", "2018-08-08", "DescribeApiKey", map[string]any{"AccessKeyId": fmt.Sprintf("cpureadkey_%d", i%cpuSeeds)}, &api)
		}},
	)
	for _, s := range scenarios {
		b.Run(s.name, func(b *testing.B) {
			for range b.N {
				cpuLoad(b, srv, workers, window, s.call)
			}
		})
	}

	// The reference: the same clients against a server that reads each request and answers {},
	// built and started only when a noop scenario runs.
	var ref *process
	defer func() {
		if ref != nil {
			ref.stop(b)
		}
	}()
	for _, s := range []scenario{
		{"noop/k5-create", func(c *vendorClients, i int) error {
			_, err := secrets.Create(ctx, c.k5, secrets.CreateOpts{Name: fmt.Sprintf("load_%d", i),
				Payload: base64.StdEncoding.EncodeToString([]byte("CpuBench_value")), PayloadContentType: "application/octet-stream",
				PayloadContentEncoding: "base64", SecretType: secrets.OpaqueSecret}).Extract()
			return err
		}},
		{"noop/k5-get-secret", func(c *vendorClients, i int) error {
			_, err := secrets.Get(ctx, c.k5, "00000000-0000-4000-8000-000000000000").Extract()
			return err
		}},
	} {
		b.Run(s.name, func(b *testing.B) {
			if ref == nil {
				ref = startCPUProcess(b, goBuildSource(b, dir, "noop", noopServerSource), filepath.Join(dir, "noop.log"))
			}
			for range b.N {
				cpuLoad(b, ref, workers, window, s.call)
			}
		})
	}
}

// cpuSeeds is how many secrets of each kind the read scenarios cycle through.
const cpuSeeds = 100

// cpuReads are the seeded secrets the read scenarios address: K5 and Gcore secret ids and
// Alibaba secret ids; Alibaba names are cpuread_<i>, Tencent AccessKeyIds cpureadkey_<i>.
type cpuReads struct{ k5, gcore, alibaba []string }

func seedCPUReads(b *testing.B, c *vendorClients) *cpuReads {
	ctx := context.Background()
	r := &cpuReads{}
	for i := range cpuSeeds {
		s, err := secrets.Create(ctx, c.k5, secrets.CreateOpts{Name: fmt.Sprintf("cpuread_%d", i),
			Payload: base64.StdEncoding.EncodeToString([]byte("CpuBench_read")), PayloadContentType: "application/octet-stream",
			PayloadContentEncoding: "base64", SecretType: secrets.OpaqueSecret}).Extract()
		if err != nil {
			b.Fatal(err)
		}
		r.k5 = append(r.k5, s.SecretRef[strings.LastIndex(s.SecretRef, "/")+1:])
		var created struct{ Tasks []string }
		if err := c.gcoreDo(ctx, http.MethodPost, "/cloud/v1/secrets/1/76", gcoreCreateBody(i), &created); err != nil || len(created.Tasks) != 1 {
			b.Fatalf("gcore create: %v %v", err, created.Tasks)
		}
		var task struct {
			CreatedResources map[string][]string `json:"created_resources"`
		}
		if err := c.gcoreDo(ctx, http.MethodGet, "/cloud/v1/tasks/"+created.Tasks[0], nil, &task); err != nil || len(task.CreatedResources["secrets"]) != 1 {
			b.Fatalf("gcore task: %v %v", err, task.CreatedResources)
		}
		r.gcore = append(r.gcore, task.CreatedResources["secrets"][0])
		a, err := c.alibaba.CreateSecret(&apig.CreateSecretRequest{
			Name: dara.String(fmt.Sprintf("cpuread_%d", i)), SecretData: dara.String("CpuBench_read"),
			GatewayType: dara.String("API"), SecretSource: dara.String("KMS"),
			KmsConfig: &apig.KMSConfig{KmsInstanceId: dara.String("kst-1"), KmsKeyId: dara.String("key-1")},
		})
		if err != nil {
			b.Fatal(err)
		}
		r.alibaba = append(r.alibaba, dara.StringValue(a.Body.Data.SecretId))
		if err := c.tencentCall("apigateway", "2018-08-08", "CreateApiKey", map[string]any{
			"SecretName": fmt.Sprintf("cpuread_%d", i), "AccessKeyType": "manual",
			"AccessKeyId": fmt.Sprintf("cpureadkey_%d", i), "AccessKeySecret": "CpuBench_read_value"}); err != nil {
			b.Fatal(err)
		}
	}
	return r
}

// gcoreCreateBody is the body Gcore's SDK sends for a create of an opaque secret.
func gcoreCreateBody(i int) []byte {
	return []byte(fmt.Sprintf(`{"name":"cpu%d","payload":%q,"payload_content_encoding":"base64","payload_content_type":"application/octet-stream","secret_type":"opaque"}`,
		i, base64.StdEncoding.EncodeToString([]byte("CpuBench_value"))))
}

// cpuLoad runs call from workers clients back to back for d against p and reports the rate,
// p50/p99 and the server's CPU per request; any failed call fails b.
func cpuLoad(b *testing.B, p *process, workers int, d time.Duration, call func(c *vendorClients, i int) error) {
	// One kept-alive connection per worker, as a client pool holds: net/http's default of two
	// idle connections per host would measure TCP set-up instead.
	transport := &http.Transport{MaxIdleConnsPerHost: workers, MaxIdleConns: workers}
	defer transport.CloseIdleConnections()
	clients := make([]*vendorClients, workers)
	for w := range clients {
		clients[w] = newVendorClients(b, p.addr)
		clients[w].httpDoer = &http.Client{Transport: transport}
		clients[w].k5.ProviderClient.HTTPClient = http.Client{Transport: transport}
		if err := call(clients[w], w); err != nil { // warm: connections, seeds
			b.Fatal(err)
		}
	}
	var (
		mu   sync.Mutex
		all  []time.Duration
		errs atomic.Int64
		last atomic.Value
		wg   sync.WaitGroup
	)
	before := p.cpu(b)
	start := time.Now()
	end := start.Add(d)
	for w, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := w; time.Now().Before(end); i += workers {
				t := time.Now()
				if err := call(c, i); err != nil {
					errs.Add(1)
					last.Store(err)
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	used := p.cpu(b) - before
	if n := errs.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; last: %v", n, len(all), last.Load())
	}
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(used.Microseconds())/float64(len(all)), "cpu-µs/req")
}

// cpuBenchWindow is each scenario's load time: 10 s, or KEYPORT_BENCH_WINDOW.
func cpuBenchWindow(b *testing.B) time.Duration {
	v := os.Getenv("KEYPORT_BENCH_WINDOW")
	if v == "" {
		return 10 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second {
		b.Fatalf("KEYPORT_BENCH_WINDOW=%q: want a duration of at least 1s", v)
	}
	return d
}

// process is a server started as its own process.
type process struct {
	cmd  *exec.Cmd
	addr string
}

// startCPUProcess runs bin with args plus -addr on a free loopback port, its output to logFile,
// and returns once the port accepts connections.
func startCPUProcess(b *testing.B, bin, logFile string, args ...string) *process {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	out, err := os.Create(logFile)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(bin, append(args, "-addr", addr)...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &process{cmd: cmd, addr: addr}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + healthPath); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			p.stop(b)
			log, _ := os.ReadFile(logFile)
			b.Fatalf("%s did not start: %s", bin, log)
		}
	}
}

// stop ends the process with SIGTERM (a -cpuprofile is written on the way out) and waits.
func (p *process) stop(b *testing.B) {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		b.Errorf("%s: %v", p.cmd.Path, err)
	}
}

// cpu is the process's user+system CPU time so far (/proc/<pid>/stat, in clock ticks of
// 1/100 s, the USER_HZ of every Linux architecture Go supports).
func (p *process) cpu(b *testing.B) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after "(comm) ": state is the first, utime the 12th, stime the 13th.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		b.Fatal(err)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// goBuild builds the package at pkg (relative to this package) into dir/name.
func goBuild(b *testing.B, dir, name, pkg string) string {
	out := filepath.Join(dir, name)
	if msg, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// goBuildSource builds a one-file main package of the standard library only into dir/name.
func goBuildSource(b *testing.B, dir, name, src string) string {
	file := filepath.Join(dir, name+".go")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), file)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", file, err, msg)
	}
	return filepath.Join(dir, name)
}

// noopServerSource is the reference server: it reads each request's body and answers {} (201
// to a POST, 200 otherwise), and 200 to the health path.
const noopServerSource = `package main

import (
	"flag"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "")
	flag.Parse()
	go http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		w.Write([]byte("{}"))
	}))
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	<-stop
}
`
