package boltstore

import (
	"bytes"
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"keyport/shared/store"
	"keyport/shared/store/internal/cursor"
	"keyport/shared/store/internal/txcheck"
)

// List returns one page of q's live records in ascending byte order of ID. It seeks to the
// collection's prefix (or just past the cursor's last id) and reads forward only as far as one
// page and one more key.
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	if err := ctx.Err(); err != nil {
		return store.Page{}, err
	}
	if err := txcheck.CheckQuery(q); err != nil {
		return store.Page{}, fmt.Errorf("boltstore: list: %w", err)
	}
	coll := collection(q.Service, q.Tenant, q.Kind)
	prefix := append(bytes.Clone(coll), q.Prefix...)
	start := prefix
	after := ""
	if q.Cursor != "" {
		last, err := cursor.Open(s.cursorKey, q, q.Cursor)
		if err != nil {
			return store.Page{}, err
		}
		after, start = last, append(bytes.Clone(coll), last...)
	}
	limit := txcheck.PageLimit(q)
	var page store.Page
	err := s.db.View(func(tx *bolt.Tx) error {
		now := s.now()
		c := tx.Bucket(recordsBucket).Cursor()
		for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			id := string(k[len(coll):])
			if q.Cursor != "" && id <= after {
				continue
			}
			if len(page.Records) == limit {
				page.Next = cursor.Make(s.cursorKey, q, page.Records[limit-1].ID)
				return nil
			}
			st, err := unmarshal(v)
			if err != nil {
				return err
			}
			if !st.live(now) {
				continue
			}
			page.Records = append(page.Records, st.record(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: id}))
		}
		return nil
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("boltstore: list: %w", err)
	}
	return page, nil
}
