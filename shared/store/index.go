package store

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// An indexed kind is one whose records the vendors list in pages with a total. Every driver
// keeps, for each tenant's collection of an indexed kind and in the same transaction as the
// record, two things (docs/store.md):
//
//   - a creation index: one entry per record, ordered by (CreatedAt to the millisecond, ID),
//     carrying the record's non-secret fields (everything but Sealed and Claims), so a page in
//     creation order reads O(limit) entries, an offset skips entries without reading records,
//     and a filter over attributes scans entries, never sealed values;
//   - a count of its live records, which Count answers without reading the collection.
//
// An indexed kind whose ids hold a '/' is indexed and counted by group: the id up to and
// including its last '/' (Group), so a Gcore region's secrets ("76/<uuid>") are one collection
// of the project. A creation-order Query or a Count names its group as its Prefix.
//
// A kind becomes indexed when the package that owns it declares it (DeclareIndex), once, at
// package initialisation; every driver then indexes every write of that kind. Kinds that are
// never listed in pages (claims' owners, nonces, locators) are not declared and cost nothing.
var indexes = struct {
	sync.RWMutex
	kinds map[[2]string]bool
	attrs map[[2]string]string // the kind's attribute index (DeclareAttrIndex), if any
}{kinds: map[[2]string]bool{}, attrs: map[[2]string]string{}}

// DeclareIndex makes (service, kind) an indexed kind and returns true (so a package can write
// `var _ = store.DeclareIndex(...)` beside its Kind constant). Declaring twice is harmless.
func DeclareIndex(service, kind string) bool {
	indexes.Lock()
	defer indexes.Unlock()
	indexes.kinds[[2]string{service, kind}] = true
	return true
}

// DeclareAttrIndex makes (service, kind) an indexed kind with an attribute index on its string
// attribute attr, and returns true. Every driver then also keeps, in the record's transaction,
// one entry per record of the collection whose attr is a string, ordered by that value, so a
// filter on the value or its beginning (Barbican's name=) reads the entries that match, never
// the collection (Order ByAttr). A kind has at most one attribute index: declaring a second
// attribute panics, as a programming mistake found at start-up.
func DeclareAttrIndex(service, kind, attr string) bool {
	DeclareIndex(service, kind)
	indexes.Lock()
	defer indexes.Unlock()
	k := [2]string{service, kind}
	if old, ok := indexes.attrs[k]; ok && old != attr {
		panic(fmt.Sprintf("store: %s/%s already has an attribute index on %q", service, kind, old))
	}
	indexes.attrs[k] = attr
	return true
}

// AttrIndex returns the attribute the kind (service, kind) is indexed by, or "" when it has no
// attribute index.
func AttrIndex(service, kind string) string {
	indexes.RLock()
	defer indexes.RUnlock()
	return indexes.attrs[[2]string{service, kind}]
}

// AttrValue is the value rec carries in its kind's attribute index: its indexed attribute when
// that is a string; ok is false when the kind has no attribute index or rec has no such
// string, and then rec has no entry there.
func AttrValue(rec Record) (value string, ok bool) {
	attr := AttrIndex(rec.Service, rec.Kind)
	if attr == "" || !IndexedRef(rec.Ref) {
		return "", false
	}
	value, ok = rec.Attrs[attr].(string)
	return value, ok
}

// IndexedRef reports whether the record at r is indexed: its kind is, and it has a tenant (a
// record without one, such as a Gcore task's by-id copy, is a global lookup, never listed).
func IndexedRef(r Ref) bool { return r.Tenant != "" && Indexed(r.Service, r.Kind) }

// Indexed reports whether records of (service, kind) are indexed (see IndexedRef).
func Indexed(service, kind string) bool {
	indexes.RLock()
	defer indexes.RUnlock()
	return indexes.kinds[[2]string{service, kind}]
}

// IndexedKinds returns every declared (service, kind), sorted, for drivers that rebuild their
// indexes when the set changes. A kind with an attribute index is listed as
// (service, kind+"@"+attr), so that a new attribute index changes the set too.
func IndexedKinds() [][2]string {
	indexes.RLock()
	defer indexes.RUnlock()
	out := make([][2]string, 0, len(indexes.kinds))
	for k := range indexes.kinds {
		if attr, ok := indexes.attrs[k]; ok {
			k[1] += "@" + attr
		}
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b [2]string) int { return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[1], b[1])) })
	return out
}

// Order is the order a List returns records in.
type Order uint8

// The orders. Oldest and Newest read the creation index, so they are for indexed kinds only.
const (
	ByID   Order = iota // ascending byte order of ID
	Oldest              // ascending (CreatedAt to the millisecond, ID)
	Newest              // the exact reverse of Oldest
	ByAttr              // the attribute index (Query.AttrPrefix): ascending value, see Query
)

// String names the order for errors.
func (o Order) String() string {
	switch o {
	case ByID:
		return "by id"
	case Oldest:
		return "oldest first"
	case Newest:
		return "newest first"
	case ByAttr:
		return "by attribute"
	}
	return fmt.Sprintf("order(%d)", o)
}

// CompareOldest orders records as Oldest lists them: by CreatedAt to the millisecond, then ID.
func CompareOldest(a, b Record) int {
	return cmp.Or(cmp.Compare(a.CreatedAt.UnixMilli(), b.CreatedAt.UnixMilli()), strings.Compare(a.ID, b.ID))
}

// ByCreation reports whether o reads the creation index.
func (o Order) ByCreation() bool { return o == Oldest || o == Newest }

// Indexed reports whether o reads one of an indexed kind's indexes (creation or attribute):
// such a query may read entries, and takes a group as its Prefix.
func (o Order) Indexed() bool { return o.ByCreation() || o == ByAttr }

// Group is the index group of an id: the id up to and including its last '/', or "".
func Group(id string) string {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '/' {
			return id[:i+1]
		}
	}
	return ""
}
