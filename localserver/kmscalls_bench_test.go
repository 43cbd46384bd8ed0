package localserver

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	apig "github.com/alibabacloud-go/apig-20240327/v6/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"

	"keyport/shared/motoserver"
	"keyport/shared/seal"
)

// BenchmarkKMSCalls counts the KMS requests that reach the wire (a proxy in front of a
// moto_server of the test's own counts them by X-Amz-Target) while the local server, on
// DynamoDB and KMS, serves 1,000 creates (200 per create operation of the five vendors) and then
// 1,000 value reads (250 each of Alibaba GetSecretValue, Tencent DescribeApiKey, EdgeOne
// DescribeMultiPathGatewaySecretKey and K5 GetPayload, each checking the value it reads), one
// request at a time, as one Lambda instance serves them (a round is one request of each
// operation in turn; moto's DynamoDB fails transactions sent side by side). It runs with the default data-key
// cache, and with the cache off on a fifth of the requests; it fails if the defaults spend
// more than 10 KMS calls per 1,000 creates or per 1,000 reads. Run it with `make bench`
// (-benchtime=1x).
func BenchmarkKMSCalls(b *testing.B) {
	const perCreateOp, perReadOp = 200, 250
	// With the cache off every value costs one call, so a fifth of the requests tell the same.
	const offShare = 5
	moto := motoserver.Own(b)
	counter := &kmsCounter{}
	proxy := countingProxy(b, moto.Endpoint, counter)
	useAWS(b, proxy)
	keyID := createKMSKey(b, moto.Endpoint)
	for _, setting := range []string{"", "off"} {
		name := "cache=" + seal.DefaultCache.String()
		if setting == "off" {
			name = "cache=off"
		}
		cache, err := seal.ParseCache(setting)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			creates, reads := perCreateOp, perReadOp
			if setting == "off" {
				creates, reads = creates/offShare, reads/offShare
			}
			for run := range b.N {
				addr, logs, stop := startServerWith(b, config{storeKind: "dynamodb", table: fmt.Sprintf("keyport-kms-%s-%d", setting, run),
					createTable: true, kmsKeyID: keyID, keyLimit: 1 << 40, keyCache: cache})
				c := newVendorClients(b, addr)
				before := counter.load()
				start := time.Now()
				k5IDs := kmsBenchCreates(b, c, creates)
				failNow(b, logs)
				createCalls, created := counter.load()-before, time.Since(start)
				before, start = counter.load(), time.Now()
				kmsBenchReads(b, c, k5IDs, reads)
				readCalls, read := counter.load()-before, time.Since(start)
				failNow(b, logs)
				stop()
				perCreates := float64(createCalls) * 1000 / float64(5*creates)
				perReads := float64(readCalls) * 1000 / float64(4*reads)
				b.ReportMetric(perCreates, "kms/1000-creates")
				b.ReportMetric(perReads, "kms/1000-reads")
				b.ReportMetric(float64(created.Milliseconds())/float64(creates), "ms/create-round")
				b.ReportMetric(float64(read.Milliseconds())/float64(reads), "ms/read-round")
				if setting == "" && (perCreates > 10 || perReads > 10) {
					b.Errorf("default cache: got %.1f KMS calls per 1,000 creates and %.1f per 1,000 reads, want at most 10 each", perCreates, perReads)
				}
			}
		})
	}
}

// kmsBenchCreates creates n secrets with each of the five create operations and returns the K5 secret ids, which K5 chooses.
func kmsBenchCreates(b *testing.B, c *vendorClients, n int) []string {
	ctx := context.Background()
	k5IDs := make([]string, n)
	perOp := func(op string, i int) error {
		if op != "k5" {
			return c.create(ctx, op, i, kmsBenchValue(op, i))
		}
		s, err := secrets.Create(ctx, c.k5, secrets.CreateOpts{Name: fmt.Sprintf("kms_%d", i),
			Payload: base64.StdEncoding.EncodeToString([]byte(kmsBenchValue(op, i))), PayloadContentType: "application/octet-stream",
			PayloadContentEncoding: "base64", SecretType: secrets.OpaqueSecret}).Extract()
		if err == nil {
			k5IDs[i] = s.SecretRef[strings.LastIndex(s.SecretRef, "/")+1:]
		}
		return err
	}
	eachOp(b, []string{"alibaba", "tencent-apigateway", "tencent-teo", "gcore", "k5"}, n, perOp)
	return k5IDs
}

// kmsBenchReads reads n values with each of the four value reads and checks each value.
func kmsBenchReads(b *testing.B, c *vendorClients, k5IDs []string, n int) {
	ctx := context.Background()
	perOp := func(op string, j int) error {
		i := j % len(k5IDs)
		want, got := kmsBenchValue(op, i), ""
		var err error
		switch op {
		case "alibaba":
			var v *apig.GetSecretValueResponse
			if v, err = c.alibaba.GetSecretValue(dara.String(fmt.Sprintf("load_%d", i))); err == nil {
				got = dara.StringValue(v.Body.Data.SecretData)
			}
		case "tencent-apigateway":
			var api struct {
				Result struct{ AccessKeySecret string }
			}
			err = c.tencentRead("apigateway", "2018-08-08", "DescribeApiKey", map[string]any{"AccessKeyId": fmt.Sprintf("loadkey_%d", i)}, &api)
			got = api.Result.AccessKeySecret
		case "tencent-teo":
			var teo struct{ SecretKey string }
			err = c.tencentRead("teo", "2022-09-01", "DescribeMultiPathGatewaySecretKey", map[string]any{"ZoneId": fmt.Sprintf("zone-load%d", i)}, &teo)
			got, want = teo.SecretKey, teoKey(want)
		case "k5":
			var payload []byte
			payload, err = secrets.GetPayload(ctx, c.k5, k5IDs[i], secrets.GetPayloadOpts{PayloadContentType: "application/octet-stream"}).Extract()
			got = string(payload)
		}
		if err == nil && got != want {
			err = fmt.Errorf("read %q, want %q", got, want)
		}
		return err
	}
	eachOp(b, []string{"alibaba", "tencent-apigateway", "tencent-teo", "k5"}, n, perOp)
}

// failNow ends a failed benchmark, showing the server's log lines of failed requests.
func failNow(b *testing.B, logs *syncBuffer) {
	if !b.Failed() {
		return
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"level":"WARN"`) {
			b.Log(line)
		}
	}
	b.FailNow()
}

// eachOp runs do(op, i) for i in 0..n-1, each round one request of every op in turn, and
// fails b on the first error.
func eachOp(b *testing.B, ops []string, n int, do func(op string, i int) error) {
	for i := range n {
		for _, op := range ops {
			if err := do(op, i); err != nil {
				b.Errorf("%s %d: %v", op, i, err)
				return
			}
		}
	}
}

func kmsBenchValue(op string, i int) string {
	return fmt.Sprintf("KmsBench_%s_%06d_value", strings.ReplaceAll(op, "-", "_"), i)
}

// tencentRead sends a Tencent action and decodes its Response into out.
func (c *vendorClients) tencentRead(service, version, action string, params map[string]any, out any) error {
	req := tchttp.NewCommonRequest(service, version, action)
	if err := req.SetActionParameters(params); err != nil {
		return err
	}
	resp := tchttp.NewCommonResponse()
	if err := c.tencent.Send(req, resp); err != nil {
		return err
	}
	var env struct{ Response json.RawMessage }
	if err := json.Unmarshal(resp.GetBody(), &env); err != nil {
		return err
	}
	return json.Unmarshal(env.Response, out)
}

// kmsCounter counts the KMS requests a countingProxy passed on.
type kmsCounter struct{ n atomic.Int64 }

func (k *kmsCounter) load() int64 { return k.n.Load() }

// countingProxy forwards every request to endpoint, counting those addressed to KMS (the
// JSON protocol's X-Amz-Target: TrentService.<Action>), and returns its URL.
func countingProxy(tb testing.TB, endpoint string, k *kmsCounter) string {
	target, err := url.Parse(endpoint)
	if err != nil {
		tb.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), "TrentService.") {
			k.n.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}

// createKMSKey creates the KMS key the server wraps data keys under, straight at moto
// (uncounted).
func createKMSKey(tb testing.TB, endpoint string) string {
	client := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	out, err := client.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		tb.Fatal(err)
	}
	return *out.KeyMetadata.KeyId
}
