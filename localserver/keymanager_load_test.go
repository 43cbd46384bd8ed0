package localserver

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/keymanager/v1/secrets"

	"keyport/shared/credentials"
)

// BenchmarkKeyManagerLoad is BenchmarkLoad for the key manager's reads: 16 gophercloud
// clients (K5 layout) reading back to back for 2 s each — a secret's metadata, its payload
// (open included), and a list page of 100 secrets out of 100. It reports reads/s and p50/p99.
func BenchmarkKeyManagerLoad(b *testing.B) {
	const workers, loadDuration = 16, 2 * time.Second
	addr, _, stop := startServer(b, 500)
	defer stop()
	ctx := context.Background()
	c := k5Client(addr)
	var ids []string
	for i := range 100 {
		s, err := secrets.Create(ctx, c, secrets.CreateOpts{Name: fmt.Sprintf("load-%03d", i), Payload: "c2VjcmV0",
			PayloadContentType: "application/octet-stream", PayloadContentEncoding: "base64"}).Extract()
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, s.SecretRef[strings.LastIndex(s.SecretRef, "/")+1:])
	}
	reads := map[string]func(c *gophercloud.ServiceClient, i int) error{
		"metadata": func(c *gophercloud.ServiceClient, i int) error {
			_, err := secrets.Get(ctx, c, ids[i%100]).Extract()
			return err
		},
		"payload": func(c *gophercloud.ServiceClient, i int) error {
			_, err := secrets.GetPayload(ctx, c, ids[i%100], secrets.GetPayloadOpts{PayloadContentType: "application/octet-stream"}).Extract()
			return err
		},
		"list100": func(c *gophercloud.ServiceClient, _ int) error {
			page, err := secrets.List(c, secrets.ListOpts{Limit: 100}).AllPages(ctx)
			if list, _ := secrets.ExtractSecrets(page); err == nil && len(list) != 100 {
				err = fmt.Errorf("listed %d, want 100", len(list))
			}
			return err
		},
	}
	for _, name := range []string{"metadata", "payload", "list100"} {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				lat, errs := readLoop(addr, reads[name], workers, loadDuration)
				if errs > 0 || len(lat) == 0 {
					b.Fatalf("%s: %d failed reads of %d", name, errs, len(lat)+errs)
				}
				slices.Sort(lat)
				b.ReportMetric(float64(len(lat))/loadDuration.Seconds(), "reads/s")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			}
		})
	}
}

func k5Client(addr string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{}
	pc.SetToken(credentials.DevK5Token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: "http://" + addr + "/",
		ResourceBase: "http://" + addr + "/v1/" + credentials.DevK5Tenant + "/"}
}

func readLoop(addr string, read func(*gophercloud.ServiceClient, int) error, workers int, d time.Duration) ([]time.Duration, int) {
	var (
		mu   sync.Mutex
		all  []time.Duration
		errs int
		wg   sync.WaitGroup
	)
	end := time.Now().Add(d)
	for w := range workers {
		c := k5Client(addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := w; time.Now().Before(end); i += workers {
				start := time.Now()
				if err := read(c, i); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			all, errs = append(all, mine...), errs+bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, errs
}
