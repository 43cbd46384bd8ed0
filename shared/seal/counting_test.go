package seal_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
)

// counting wraps a real local-key KeyWrapper to count calls, keep the data keys it handed out
// (to check the sealer zeroes them) and inject faults. It never does crypto of its own.
type counting struct {
	inner seal.KeyWrapper

	mu        sync.Mutex
	generates int
	decrypts  int
	handedOut [][]byte // every plaintext data key returned, same backing arrays
	wrapped   [][]byte // every wrapped key returned by GenerateDataKey

	generateErr error                       // returned by GenerateDataKey when set
	decryptErr  error                       // returned by Decrypt when set
	mangleKey   func(key []byte) []byte     // rewrites the data key a call returns
	mangleWrap  func(wrapped []byte) []byte // rewrites the wrapped key GenerateDataKey returns
	sawContext  func(ec map[string]string)  // observes each call's encryption context
}

func newCounting(t *testing.T) *counting {
	t.Helper()
	kw, err := localkey.Open(filepath.Join(t.TempDir(), "master.key"))
	if err != nil {
		t.Fatalf("localkey.Open: %v", err)
	}
	return &counting{inner: kw}
}

func (c *counting) GenerateDataKey(ctx context.Context, ec map[string]string) ([]byte, []byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generates++
	c.observe(ec)
	if c.generateErr != nil {
		return nil, nil, c.generateErr
	}
	key, wrapped, err := c.inner.GenerateDataKey(ctx, ec)
	if err != nil {
		return nil, nil, err
	}
	if c.mangleWrap != nil {
		wrapped = c.mangleWrap(wrapped)
	}
	key = c.keep(key)
	c.wrapped = append(c.wrapped, wrapped)
	return key, wrapped, nil
}

func (c *counting) Decrypt(ctx context.Context, wrapped []byte, ec map[string]string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.decrypts++
	c.observe(ec)
	if c.decryptErr != nil {
		return nil, c.decryptErr
	}
	key, err := c.inner.Decrypt(ctx, wrapped, ec)
	if err != nil {
		return nil, err
	}
	return c.keep(key), nil
}

func (c *counting) keep(key []byte) []byte {
	if c.mangleKey != nil {
		key = c.mangleKey(key)
	}
	c.handedOut = append(c.handedOut, key)
	return key
}

func (c *counting) observe(ec map[string]string) {
	if c.sawContext != nil {
		c.sawContext(ec)
	}
}

func (c *counting) calls() (generates, decrypts int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generates, c.decrypts
}
