// Package txcheck holds what every store driver checks before it touches storage: that a
// transaction is well formed. A transaction that is not is a programming error in the caller,
// so the error is a plain (internal) one, never a *store.Conflict.
package txcheck

import (
	"errors"
	"fmt"
	"strings"

	"keyport/shared/store"
)

// Check reports the first way tx is malformed: no actions, an action with not exactly one
// step, a ref missing Service, Kind or ID (or with '#' or NUL in Service or Kind), a ref used
// twice across records, claims and counters, an attribute of an unsupported type, a negative
// IfVersion, or a Count whose Delta is not +1 or -1.
func Check(tx store.Tx) error {
	if len(tx) == 0 {
		return errors.New("store: empty transaction")
	}
	seen := make(map[store.Ref]bool, len(tx))
	use := func(i int, r store.Ref) error {
		if err := CheckRef(r); err != nil {
			return fmt.Errorf("store: action %d: %w", i, err)
		}
		if seen[r] {
			return fmt.Errorf("store: action %d: ref %s is used twice in one transaction", i, r)
		}
		seen[r] = true
		return nil
	}
	for i, a := range tx {
		if err := checkAction(i, a, use); err != nil {
			return err
		}
	}
	return nil
}

func checkAction(i int, a store.Action, use func(int, store.Ref) error) error {
	if n := steps(a); n != 1 {
		return fmt.Errorf("store: action %d has %d steps, want exactly 1", i, n)
	}
	switch {
	case a.Put != nil:
		return checkPut(i, a.Put, use)
	case a.Update != nil:
		if err := checkVersion(i, a.Update.IfVersion); err != nil {
			return err
		}
		if err := checkSet(a.Update.Set); err != nil {
			return fmt.Errorf("store: action %d: %w", i, err)
		}
		return use(i, a.Update.Ref)
	case a.Delete != nil:
		if err := checkVersion(i, a.Delete.IfVersion); err != nil {
			return err
		}
		return use(i, a.Delete.Ref)
	default:
		if d := a.Count.Delta; d != 1 && d != -1 {
			return fmt.Errorf("store: action %d: count delta %d, want +1 or -1", i, d)
		}
		return use(i, a.Count.Ref)
	}
}

func checkPut(i int, p *store.Put, use func(int, store.Ref) error) error {
	if err := checkVersion(i, p.IfVersion); err != nil {
		return err
	}
	if err := store.CheckAttrs(p.Record.Attrs); err != nil {
		return fmt.Errorf("store: action %d: %w", i, err)
	}
	if err := use(i, p.Record.Ref); err != nil {
		return err
	}
	for _, c := range p.Record.Claims {
		if err := use(i, c); err != nil {
			return err
		}
	}
	return nil
}

func steps(a store.Action) int {
	n := 0
	for _, set := range [...]bool{a.Put != nil, a.Update != nil, a.Delete != nil, a.Count != nil} {
		if set {
			n++
		}
	}
	return n
}

func checkVersion(i int, v int64) error {
	if v < 0 {
		return fmt.Errorf("store: action %d: negative IfVersion %d", i, v)
	}
	return nil
}

// checkSet accepts what Update.Set may hold: the stored types, and nil for a removal.
func checkSet(set store.Attrs) error {
	for k, v := range set {
		if v == nil {
			continue
		}
		if err := store.CheckAttrs(store.Attrs{k: v}); err != nil {
			return err
		}
	}
	return nil
}

// CheckRef reports a ref that no driver can address: Service, Kind and ID are required
// (Tenant may be empty), and Service and Kind may not hold '#' or NUL.
func CheckRef(r store.Ref) error {
	if r.Service == "" || r.Kind == "" || r.ID == "" {
		return fmt.Errorf("ref %s lacks a service, kind or id", r)
	}
	if strings.ContainsAny(r.Service, "#\x00") || strings.ContainsAny(r.Kind, "#\x00") {
		return fmt.Errorf("ref %s has '#' or NUL in its service or kind", r)
	}
	return nil
}

// PageLimit is q's page size after defaults and bounds.
func PageLimit(q store.Query) int {
	switch {
	case q.Limit <= 0:
		return store.DefaultPageLimit
	case q.Limit > store.MaxPageLimit:
		return store.MaxPageLimit
	}
	return q.Limit
}

// CheckQuery reports a query that names no collection, or asks an index the kind does not have
// (or with a Prefix that is not a group), or asks for an offset or entries in ID order, an
// offset of the attribute index, or an AttrPrefix without it.
func CheckQuery(q store.Query) error {
	if err := CheckRef(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: "-"}); err != nil {
		return err
	}
	indexed := store.IndexedRef(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind})
	switch {
	case q.Order > store.ByAttr:
		return fmt.Errorf("query: unknown %s", q.Order)
	case !q.Order.Indexed() && (q.Offset != 0 || q.Entries):
		return errors.New("query: an offset or entries need an index order")
	case q.Order.Indexed() && !indexed:
		return fmt.Errorf("query: %s/%s is not an indexed kind", q.Service, q.Kind)
	case q.Order == store.ByAttr && store.AttrIndex(q.Service, q.Kind) == "":
		return fmt.Errorf("query: %s/%s has no attribute index", q.Service, q.Kind)
	case q.Order == store.ByAttr && q.Offset != 0:
		return errors.New("query: the attribute index takes no offset")
	case q.Order != store.ByAttr && (q.AttrPrefix != "" || q.AttrExact):
		return errors.New("query: an attribute prefix or value needs the attribute index")
	case q.Order.Indexed() && !isGroup(q.Prefix):
		return errors.New("query: an index takes a group as its prefix, or none")
	case q.Offset < 0:
		return errors.New("query: negative offset")
	}
	return nil
}

// CheckCount reports a Count of a collection that is not an indexed kind's, or with a Prefix.
func CheckCount(q store.Query) error {
	if err := CheckRef(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind, ID: "-"}); err != nil {
		return err
	}
	if !store.IndexedRef(store.Ref{Service: q.Service, Tenant: q.Tenant, Kind: q.Kind}) || !isGroup(q.Prefix) {
		return fmt.Errorf("count: %s/%s is not an indexed collection", q.Service, q.Kind)
	}
	return nil
}

// isGroup reports whether prefix names an index group (store.Group): "" or text ending in
// '/', without '#' (DynamoDB's index keys are '#'-separated).
func isGroup(prefix string) bool {
	return store.Group(prefix) == prefix && !strings.Contains(prefix, "#")
}
