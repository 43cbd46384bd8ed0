package localserver

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alibabacloud-go/tea/dara"

	"keyport/shared/localdata"
)

// seedDoc makes one create per vendor create operation.
const seedDoc = `{"seeds": [
 {"operation": "tencent.CreateApiKey", "body": {"SecretName": "seeded_key", "AccessKeyType": "manual",
   "AccessKeyId": "seededKeyId1", "AccessKeySecret": "seededKeySecret_0123456789"}},
 {"operation": "tencent.CreateMultiPathGatewaySecretKey", "body": {"ZoneId": "zone-seeded00001", "SecretKey": "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}},
 {"operation": "alibaba.CreateSecret", "body": {"name": "seeded_secret", "secretData": "seeded-value",
   "gatewayType": "API", "secretSource": "KMS", "kmsConfig": {"kmsInstanceId": "kst-1", "kmsKeyId": "key-1"}}},
 {"operation": "gcore.CreateSecret", "path": "/cloud/v1/secrets/1/76", "body": {"name": "seeded", "payload": "aGVsbG8=",
   "payload_content_encoding": "base64", "payload_content_type": "application/octet-stream", "secret_type": "opaque"}},
 {"operation": "k5.CreateSecret", "body": {"name": "seeded", "payload": "aGVsbG8=", "payload_content_encoding": "base64",
   "payload_content_type": "application/octet-stream"}},
 {"operation": "barbican.CreateSecret", "body": {"name": "seeded"}}
]}`

func writeSeed(t *testing.T, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// startSeeded starts the server on dataDir's bolt store with -seed seed and returns it and
// its banner, or the start error.
func startSeeded(t *testing.T, store, dataDir, seed string) (*Server, string, error) {
	t.Helper()
	cfg, err := parseConfig([]string{"-addr", "127.0.0.1:0", "-store", store, "-data", dataDir, "-audit", "-", "-seed", seed},
		func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var banner bytes.Buffer
	s, err := start(context.Background(), cfg, io.Discard, &banner)
	return s, banner.String(), err
}

func countRecords(t *testing.T, dataDir string) int {
	t.Helper()
	d, err := localdata.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n, err := d.Store.CountRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Every vendor's create can be seeded; the seeded records are what the vendor's client then
// reads; a restart on the same data seeds nothing again.
func TestSeedIdempotent(t *testing.T) {
	dir, seed := t.TempDir(), writeSeed(t, seedDoc)
	s, banner, err := startSeeded(t, "bolt", dir, seed)
	if err != nil {
		t.Fatalf("start with -seed: %v", err)
	}
	if !strings.Contains(banner, "seeded 6 of 6") {
		t.Errorf("banner: got %q, want it to say 6 of 6 seeded", banner)
	}
	client := newVendorClients(t, s.Addr().String()).alibaba
	got, err := client.GetSecretValue(dara.String("seeded_secret"))
	if err != nil || dara.StringValue(got.Body.Data.SecretData) != "seeded-value" {
		t.Errorf("GetSecretValue of a seeded secret: got %v, %v; want seeded-value", got, err)
	}
	s.Shutdown(context.Background())
	first := countRecords(t, dir)

	s, banner, err = startSeeded(t, "bolt", dir, seed)
	if err != nil {
		t.Fatalf("restart with the same -seed: %v", err)
	}
	s.Shutdown(context.Background())
	if !strings.Contains(banner, "seeded 0 of 6") {
		t.Errorf("banner after restart: got %q, want 0 of 6 seeded", banner)
	}
	if again := countRecords(t, dir); again != first {
		t.Errorf("records after a restart with the same seed: got %d, want %d (nothing created twice)", again, first)
	}
}

// A seed file that names no create, lacks a body, or that its vendor refuses stops the start,
// naming the entry; nothing listens.
func TestSeedRefused(t *testing.T) {
	for _, tt := range []struct{ name, doc, want string }{
		{"unknown operation", `{"seeds":[{"operation":"alibaba.Nothing","body":{}}]}`, `entry 0: no operation is called "alibaba.Nothing"`},
		{"not a create", `{"seeds":[{"operation":"alibaba.DeleteSecret","body":{}}]}`, "is not a create"},
		{"no body", `{"seeds":[{"operation":"k5.CreateSecret"}]}`, "body is missing"},
		{"unknown field", `{"seeds":[],"extra":1}`, "unknown field"},
		{"vendor refuses", `{"seeds":[{"operation":"alibaba.CreateSecret","body":{"name":"bad name!","secretData":"v"}}]}`, "entry 0 (alibaba.CreateSecret): refused: status 400"},
		{"unknown principal", `{"seeds":[{"operation":"tencent.CreateApiKey","principal":"AKIDnobody","body":{"SecretName":"x"}}]}`, "is not a Tencent SecretId"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := startSeeded(t, "memory", t.TempDir(), writeSeed(t, tt.doc))
			if err == nil {
				s.Shutdown(context.Background())
				t.Fatalf("start: got nil error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("start: got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
