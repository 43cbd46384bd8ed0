package tencenttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"keyport/shared/localdata"
	"keyport/shared/localdata/localdatatest"
	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
	"keyport/shared/store/dynamostore/dynamotest"
	"keyport/shared/store/storetest"
)

// Harness is the real storage a Tencent action runs on in tests: a bolt store and a local-key
// sealer, both in tb.TempDir(). The sealer's KMS calls go through Seals, which counts them and
// can fail them, so that a handler built on Sealer (through operation.Deps, restricted as in
// production) shows whether a request reached KMS.
type Harness struct {
	Store  *boltstore.Store
	Path   string // the bolt file
	Sealer *seal.Sealer
	Seals  *CountingKeys // Sealer's key wrapper
}

// NewHarness opens a fresh store and key; both are closed and removed with the test.
func NewHarness(tb testing.TB) *Harness {
	tb.Helper()
	data := localdatatest.Open(tb)
	key, err := localkey.Open(filepath.Join(data.Dir, localdata.KeyFile))
	if err != nil {
		tb.Fatal(err)
	}
	h := &Harness{Store: data.Store, Path: data.StorePath(), Seals: &CountingKeys{Inner: key}}
	h.Sealer = seal.New(h.Seals)
	return h
}

// CountingKeys is a KMS key wrapper that counts its calls (each Seal is one GenerateDataKey,
// each Open one Decrypt) and fails every call with Err when Err is set. Set Err before serving.
type CountingKeys struct {
	Inner                seal.KeyWrapper
	Err                  error
	SealCalls, OpenCalls atomic.Int64
}

// GenerateDataKey counts a Seal, then fails with Err or asks Inner.
func (c *CountingKeys) GenerateDataKey(ctx context.Context, ec map[string]string) ([]byte, []byte, error) {
	c.SealCalls.Add(1)
	if c.Err != nil {
		return nil, nil, c.Err
	}
	return c.Inner.GenerateDataKey(ctx, ec)
}

// Decrypt counts an Open, then fails with Err or asks Inner.
func (c *CountingKeys) Decrypt(ctx context.Context, wrapped []byte, ec map[string]string) ([]byte, error) {
	c.OpenCalls.Add(1)
	if c.Err != nil {
		return nil, c.Err
	}
	return c.Inner.Decrypt(ctx, wrapped, ec)
}

// AssertEmpty checks that the store holds no record (CountRecords == 0).
func (h *Harness) AssertEmpty(tb testing.TB) {
	tb.Helper()
	if n, err := h.Store.CountRecords(context.Background()); err != nil || n != 0 {
		tb.Errorf("got %d records (err %v), want 0", n, err)
	}
}

// AssertNotSealed checks that nothing was sealed: a refused request never reaches KMS.
func (h *Harness) AssertNotSealed(tb testing.TB) {
	tb.Helper()
	if n := h.Seals.SealCalls.Load(); n != 0 {
		tb.Errorf("got %d seals, want 0", n)
	}
}

// AssertNoPlaintext checks that secret appears neither in the sealed blob, nor in the
// attributes, nor anywhere in the store's file on disk.
func (h *Harness) AssertNoPlaintext(tb testing.TB, sealed []byte, attrs store.Attrs, secret string) {
	tb.Helper()
	if bytes.Contains(sealed, []byte(secret)) {
		tb.Error("the sealed blob holds the secret in plaintext")
	}
	for k, v := range attrs {
		if strings.Contains(fmt.Sprint(v), secret) {
			tb.Errorf("attribute %s holds the secret", k)
		}
	}
	file, err := os.ReadFile(h.Path)
	if err != nil {
		tb.Fatal(err)
	}
	if bytes.Contains(file, []byte(secret)) {
		tb.Error("the store's file holds the secret in plaintext")
	}
}

// Concurrently serves every request at once and returns each response's code as CodeOf does.
func Concurrently(h http.Handler, reqs []*http.Request) []string {
	codes := make([]string, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			<-start
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			codes[i] = CodeOf(w)
		})
	}
	close(start)
	wg.Wait()
	return codes
}

// Tally counts codes.
func Tally(codes []string) map[string]int {
	m := map[string]int{}
	for _, c := range codes {
		m[c]++
	}
	return m
}

// CodeOf is Serve and Code without a testing.TB, for goroutines and benchmarks: the error code,
// "" for success, or "?" for a response that is not HTTP 200 application/json with a RequestId.
func CodeOf(w *httptest.ResponseRecorder) string {
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
		return "?"
	}
	var e Envelope
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Response.RequestID == "" {
		return "?"
	}
	if e.Response.Error == nil {
		return ""
	}
	return e.Response.Error.Code
}

// Drivers returns an empty store of each driver: the embedded one and DynamoDB on moto, so a
// rule resting on the store's conditions is shown to hold on both.
func Drivers(tb testing.TB) map[string]storetest.Store {
	tb.Helper()
	return map[string]storetest.Store{"bolt": NewHarness(tb).Store, "dynamodb": dynamotest.Open(tb)}
}
