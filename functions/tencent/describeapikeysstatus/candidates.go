package describeapikeysstatus

import (
	"context"
	"fmt"
	"slices"

	"keyport/shared/api/tencent/apikey"
	"keyport/shared/pages"
	"keyport/shared/store"
)

// candidates returns the account's keys that keep accepts, reading only what the filters'
// exact matches can be when they have one (Tencent's Terraform provider reads a key back by its
// AccessKeyId, and names are matched exactly too):
//   - an AccessKeyId filter reads its keys by id, whole and opened, as load does (so secrets
//     holds their secrets by id and the page is not read again);
//   - else a SecretName filter reads its names from the attribute index on SecretName
//     (apikey's declaration);
//   - any other filter scans the account's index entries.
//
// Entries and records not yet opened come with secrets nil.
func (h handler) candidates(ctx context.Context, idx store.Query, fs []filter, keep func(store.Record) bool) (recs []store.Record, secrets map[string]string, err error) {
	if ids := exactValues(fs, filterAccessKeyID); ids != nil {
		var entries []store.Record
		for _, id := range ids {
			if apikey.CheckID(id) == nil { // no key can have any other
				entries = append(entries, store.Record{Ref: apikey.RecordRef(idx.Tenant, id)})
			}
		}
		if recs, secrets, err = h.load(ctx, entries); err != nil {
			return nil, nil, err
		}
		return slices.DeleteFunc(recs, func(r store.Record) bool { return !keep(r) }), secrets, nil
	}
	if names := exactValues(fs, filterSecretName); names != nil {
		for _, name := range names {
			byName := idx
			byName.Order, byName.AttrPrefix, byName.AttrExact = store.ByAttr, name, true
			matched, err := pages.Matches(ctx, h.Store, byName, keep)
			if err != nil {
				return nil, nil, fmt.Errorf("describeapikeysstatus: list: %w", err)
			}
			recs = append(recs, matched...)
		}
		return recs, nil, nil
	}
	if recs, err = pages.Matches(ctx, h.Store, idx, keep); err != nil {
		return nil, nil, fmt.Errorf("describeapikeysstatus: list: %w", err)
	}
	return recs, nil, nil
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
