package describeapikeysstatus

import (
	"context"
	"errors"
	"slices"

	"keyport/shared/api/tencent/apikey"
	"keyport/shared/pages"
	"keyport/shared/store"
)

// candidates returns the account's keys (entries or whole records) that keep accepts, reading
// only what the filters' exact matches can be when they have one (Tencent's Terraform provider
// reads a key back by its AccessKeyId, and names are matched exactly too): an AccessKeyId filter
// reads its keys by id, else a SecretName filter reads its names from the attribute index on
// SecretName (apikey's declaration); any other filter scans the account's index entries.
func (h handler) candidates(ctx context.Context, idx store.Query, fs []filter, keep func(store.Record) bool) ([]store.Record, error) {
	if ids := exactValues(fs, filterAccessKeyID); ids != nil {
		var out []store.Record
		for _, id := range ids {
			if apikey.CheckID(id) != nil {
				continue // no key can have it
			}
			rec, err := h.Store.Get(ctx, apikey.RecordRef(idx.Tenant, id))
			switch {
			case errors.Is(err, store.ErrNotFound):
				continue
			case err != nil:
				return nil, err
			}
			if keep(rec) {
				out = append(out, rec)
			}
		}
		return out, nil
	}
	if names := exactValues(fs, filterSecretName); names != nil {
		var out []store.Record
		for _, name := range names {
			byName := idx
			byName.Order, byName.AttrPrefix, byName.AttrExact = store.ByAttr, name, true
			recs, err := pages.Matches(ctx, h.Store, byName, keep)
			if err != nil {
				return nil, err
			}
			out = append(out, recs...)
		}
		return out, nil
	}
	return pages.Matches(ctx, h.Store, idx, keep)
}

// exactValues returns the distinct values of the first filter named name, or nil when there
// is none. A key passes such a filter only when its field equals one of them, and every
// filter must pass, so the keys with those values hold every match.
func exactValues(fs []filter, name string) []string {
	for _, f := range fs {
		if f.Name == name {
			values := slices.Clone(f.Values)
			slices.Sort(values)
			return slices.Compact(values)
		}
	}
	return nil
}
