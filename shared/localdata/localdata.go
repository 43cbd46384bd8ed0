// Package localdata opens what `make run` keeps under one data directory: the embedded record
// store and the local wrapping key. Handler tests open the same pair in a temporary directory
// (localdatatest), so they exercise exactly what the local server runs on.
package localdata

import (
	"fmt"
	"path/filepath"

	"keyport/shared/seal"
	"keyport/shared/seal/localkey"
	"keyport/shared/store/boltstore"
)

// The files inside a data directory.
const (
	StoreFile = "keyport.db" // bbolt records
	KeyFile   = "master.key" // the local wrapping key, mode 0600
)

// Data is an open data directory.
type Data struct {
	Dir    string
	Store  *boltstore.Store
	Sealer *seal.Sealer
}

// Open opens (creating on first use) the store and the key under dir.
func Open(dir string) (*Data, error) {
	st, err := boltstore.Open(filepath.Join(dir, StoreFile))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	key, err := localkey.Open(filepath.Join(dir, KeyFile))
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open local key: %w", err)
	}
	return &Data{Dir: dir, Store: st, Sealer: seal.New(key)}, nil
}

// StorePath is the store file's path.
func (d *Data) StorePath() string { return filepath.Join(d.Dir, StoreFile) }

// Close closes the store.
func (d *Data) Close() error { return d.Store.Close() }
