package localserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"keyport/shared/localdata"
	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store"
	"keyport/shared/store/boltstore"
)

// RotateKey replaces the data directory's local wrapping key, with the server stopped (it holds
// the store's lock, so RotateKey cannot run beside it):
//
//  1. the next key is made as master.key.next (or the one an interrupted rotation made is
//     kept); from then on the server and the store read data keys under either key;
//  2. every sealed value is opened and sealed again under the next key, in batches, each its own
//     transaction; a value already under the next key is left alone, so a rerun resumes;
//  3. only then master.key.next is renamed over master.key, and the old key is gone.
//
// A kill at any point leaves every value readable: before step 3 both keys are on disk and
// Open loads both; after it, every value is under the one key left. Every data key records the
// id of the key that wraps it (localkey.WrappedBy). The report names the keys by id.
func RotateKey(ctx context.Context, dataDir string, report io.Writer) error {
	next, err := rewrapAll(ctx, dataDir, report)
	if err != nil {
		return err
	}
	keyPath := filepath.Join(dataDir, localdata.KeyFile)
	if err := os.Rename(keyPath+localkey.NextSuffix, keyPath); err != nil {
		return fmt.Errorf("rotate-key: %w", err)
	}
	syncDir(dataDir)
	fmt.Fprintf(report, "key %s is now %s; the old key is gone\n", next, keyPath)
	return nil
}

// rewrapAll does steps 1 and 2 of RotateKey, holding the store (and so keeping any server out)
// until it returns, and returns the next key's id.
func rewrapAll(ctx context.Context, dataDir string, report io.Writer) (string, error) {
	keyPath := filepath.Join(dataDir, localdata.KeyFile)
	if _, err := os.Stat(keyPath); err != nil {
		return "", fmt.Errorf("rotate-key: %w", err)
	}
	st, err := boltstore.Open(filepath.Join(dataDir, localdata.StoreFile))
	if err != nil {
		return "", fmt.Errorf("rotate-key: %w (is a server running on %s? stop it first)", err, dataDir)
	}
	defer st.Close()
	old, err := localkey.Open(keyPath)
	if err != nil {
		return "", err
	}
	next, err := localkey.CreateNext(keyPath)
	if err != nil {
		return "", err
	}
	sealer := seal.New(localkey.Ring(next, old))
	n, err := st.RewriteSealed(ctx, func(ref store.Ref, blob []byte) ([]byte, error) {
		return rewrap(ctx, sealer, next.ID(), ref, blob)
	})
	if err != nil {
		return "", fmt.Errorf("rotate-key: %w", err)
	}
	fmt.Fprintf(report, "rewrapped %d sealed values under key %s (from key %s)\n", n, next.ID(), old.ID())
	return next.ID(), nil
}

// rewrap returns blob sealed again under the key next, or nil when it already is.
func rewrap(ctx context.Context, sealer *seal.Sealer, next string, ref store.Ref, blob []byte) ([]byte, error) {
	wrapped, ok := seal.WrappedKey(blob)
	if !ok {
		return nil, errors.New("not a sealed value")
	}
	if by, _ := localkey.WrappedBy(wrapped); by == next {
		return nil, nil
	}
	// Every sealed record is sealed under its own service and tenant (the models' Scope).
	scope := seal.Scope{Service: ref.Service, Tenant: ref.Tenant}
	plain, err := sealer.Open(ctx, scope, ref.AAD(), blob)
	if err != nil {
		return nil, errors.New("cannot be opened under the local keys")
	}
	defer clear(plain)
	return sealer.Seal(ctx, scope, ref.AAD(), plain)
}

// syncDir makes a rename in dir durable. Best effort: some file systems refuse to sync a
// directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
