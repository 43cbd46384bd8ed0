package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"keyport/shared/store"
	"keyport/shared/store/internal/txcheck"
)

// conflictAttempts bounds how often a transaction is sent again when DynamoDB cancelled it
// only because another transaction was in flight on one of its items (TransactionConflict:
// nothing was written, and the SDK does not retry it), or when a record a Delete read moved
// to another version before the Delete landed. Under a burst on one quota counter this is the
// common case; each attempt is still one transaction. Backoff is jittered and short.
const (
	conflictAttempts = 8
	conflictBackoff  = 10 * time.Millisecond
)

// maxItems is DynamoDB's limit on the items of one transaction.
const maxItems = 100

// errRetry marks an attempt worth sending again.
var errRetry = errors.New("dynamostore: transaction conflict")

// Apply runs tx as one TransactWriteItems call (after the reads a Delete or a versioned Put
// needs). A refused condition becomes a *store.Conflict naming the action (and, for a claim,
// the claim) that refused; every other failure is internal.
func (s *Store) Apply(ctx context.Context, tx store.Tx) error {
	if err := check(tx); err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		err := s.attempt(ctx, tx)
		if !errors.Is(err, errRetry) {
			return err
		}
		if attempt == conflictAttempts {
			return fmt.Errorf("dynamostore: apply: gave up after %d attempts: %w", attempt, err)
		}
		if err := sleep(ctx, s.backoff*time.Duration(attempt)); err != nil {
			return fmt.Errorf("dynamostore: apply: %w", err)
		}
	}
}

// check refuses a malformed transaction before any I/O.
func check(tx store.Tx) error {
	if err := txcheck.Check(tx); err != nil {
		return fmt.Errorf("dynamostore: %w", err)
	}
	for _, a := range tx {
		refs := []store.Ref{}
		switch {
		case a.Put != nil:
			refs = append([]store.Ref{a.Put.Record.Ref}, a.Put.Record.Claims...)
		case a.Update != nil:
			refs = append(refs, a.Update.Ref)
		case a.Delete != nil:
			refs = append(refs, a.Delete.Ref)
		default:
			refs = append(refs, a.Count.Ref)
		}
		if err := checkKeys(refs...); err != nil {
			return err
		}
	}
	return nil
}

// checkKeys refuses refs that are not valid DynamoDB string keys.
func checkKeys(refs ...store.Ref) error {
	for _, r := range refs {
		if !utf8.ValidString(pkOf(r)) || !utf8.ValidString(skOf(r)) {
			return fmt.Errorf("dynamostore: ref %q is not valid UTF-8", r.String())
		}
	}
	return nil
}

// attempt plans tx against what it reads, sends it, and classifies the outcome: nil, a
// *store.Conflict, errRetry, or an internal error.
func (s *Store) attempt(ctx context.Context, tx store.Tx) error {
	now := s.now()
	p := &plan{s: s, now: now}
	if err := p.build(ctx, tx); err != nil {
		return err
	}
	if len(p.items) > maxItems {
		return fmt.Errorf("dynamostore: transaction of %d items, DynamoDB allows %d", len(p.items), maxItems)
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: p.items})
	if err == nil {
		return nil
	}
	return p.classify(ctx, tx, err)
}

// role says what a transaction item does for its action, which decides what its failed
// condition means.
type role uint8

const (
	roleCreate  role = iota + 1 // a Put's record, which must be absent
	roleReplace                 // a versioned Put's record, or an Update's
	roleRemove                  // a Delete's record, at the version read
	roleClaim                   // a Put's claim
	roleCounter                 // a Count
	roleRelease                 // a Delete's (or versioned Put's) claim, which must be its own
	roleTally                   // a count of an indexed collection (index.go), unconditional
)

// origin ties a transaction item back to the action (and claim) it came from.
type origin struct {
	action, claim int
	role          role
}

// plan is one attempt's transaction items, built in action order.
type plan struct {
	s       *Store
	now     time.Time
	items   []types.TransactWriteItem
	origins []origin
	// conflict is a precondition found refused while reading, before anything is sent.
	conflict *store.Conflict
	// tallies sums the moves of each tally item (keyed by pk NUL sk), in tallyKeys' order.
	tallies   map[string]int64
	tallyKeys []map[string]types.AttributeValue
}

func (p *plan) add(o origin, item types.TransactWriteItem) {
	p.items = append(p.items, item)
	p.origins = append(p.origins, o)
}

// build appends every action's items. A precondition that a read already shows refused ends
// the attempt with that conflict.
func (p *plan) build(ctx context.Context, tx store.Tx) error {
	for i, a := range tx {
		var err error
		switch {
		case a.Put != nil:
			err = p.put(ctx, i, a.Put)
		case a.Update != nil:
			err = p.update(i, a.Update)
		case a.Delete != nil:
			err = p.remove(ctx, i, a.Delete)
		default:
			err = p.count(i, a.Count)
		}
		if err != nil {
			return err
		}
		if p.conflict != nil {
			return p.conflict
		}
	}
	p.flushTallies()
	return nil
}

// read returns the live record at ref, or records a Missing (or, against ifVersion, Stale)
// conflict for action i and returns ok false.
func (p *plan) read(ctx context.Context, i int, ref store.Ref, ifVersion int64) (rec store.Record, ok bool, err error) {
	item, err := p.s.getItem(ctx, keyOf(ref))
	if err != nil {
		return store.Record{}, false, fmt.Errorf("dynamostore: apply: read: %w", err)
	}
	if !isLiveRecord(item, p.now) {
		p.conflict = &store.Conflict{Action: i, Claim: -1, Reason: store.Missing}
		return store.Record{}, false, nil
	}
	rec, err = decodeRecord(item)
	if err != nil {
		return store.Record{}, false, err
	}
	if ifVersion != 0 && rec.Version != ifVersion {
		p.conflict = &store.Conflict{Action: i, Claim: -1, Reason: store.Stale}
		return store.Record{}, false, nil
	}
	return rec, true, nil
}

func (p *plan) put(ctx context.Context, i int, put *store.Put) error {
	r := put.Record
	item, err := encodeRecord(r, put.IfVersion+1, p.now)
	if err != nil {
		return err
	}
	x := expr{}
	if put.IfVersion == 0 {
		x.cond = "attribute_not_exists(" + x.name(attrPK) + ") OR " + x.name(attrExpires) + " <= " + x.value(unixSeconds(p.now))
		p.add(origin{i, -1, roleCreate}, types.TransactWriteItem{Put: x.put(p.s.table, item)})
		// A create over an expired record leaves that record's tally as it was: its day is
		// today or earlier, which Count never reads (package tally).
		p.tally(r, +1)
	} else {
		old, ok, err := p.read(ctx, i, r.Ref, put.IfVersion)
		if err != nil || !ok {
			return err
		}
		x.cond = x.name(attrVersion) + " = " + x.value(number(put.IfVersion)) + " AND " + x.live(p.now)
		p.add(origin{i, -1, roleReplace}, types.TransactWriteItem{Put: x.put(p.s.table, item)})
		p.tally(old, -1)
		p.tally(r, +1)
		for _, c := range old.Claims {
			if !slices.Contains(r.Claims, c) {
				p.release(i, c, r.Ref)
			}
		}
	}
	for j, c := range r.Claims {
		x := expr{}
		x.cond = "attribute_not_exists(" + x.name(attrPK) + ") OR " + x.name(attrExpires) + " <= " + x.value(unixSeconds(p.now)) +
			" OR " + x.owned(r.Ref)
		p.add(origin{i, j, roleClaim}, types.TransactWriteItem{Put: x.put(p.s.table, claimItem(c, r))})
	}
	return nil
}

// release deletes claim c on condition that it is owner's (or already gone).
func (p *plan) release(i int, c, owner store.Ref) {
	x := expr{}
	x.cond = "attribute_not_exists(" + x.name(attrPK) + ") OR " + x.owned(owner)
	p.add(origin{i, -1, roleRelease}, types.TransactWriteItem{Delete: x.del(p.s.table, keyOf(c))})
}

func (p *plan) update(i int, u *store.Update) error {
	at := u.At
	if at.IsZero() {
		at = p.now
	}
	x := expr{}
	set := []string{
		x.name(attrVersion) + " = " + x.name(attrVersion) + " + " + x.value(number(1)),
		x.name(attrUpdated) + " = " + x.value(number(at.UnixMilli())),
	}
	var remove []string
	for _, k := range sortedKeys(u.Set) {
		path := x.name(attrAttrs) + "." + x.name(k)
		if u.Set[k] == nil {
			remove = append(remove, path)
			continue
		}
		v, err := encodeValue(u.Set[k])
		if err != nil {
			return fmt.Errorf("dynamostore: attribute %q: %w", k, err)
		}
		set = append(set, path+" = "+x.value(v))
	}
	if u.Sealed != nil {
		set = append(set, x.name(attrSealed)+" = "+x.value(&types.AttributeValueMemberB{Value: u.Sealed}))
	}
	if key, has, moved := attrMove(u); has {
		set = append(set, x.name(AttrValueIx)+" = "+x.value(strAV(key)))
	} else if moved {
		remove = append(remove, x.name(AttrValueIx))
	}
	update := "SET " + join(set)
	if len(remove) > 0 {
		update += " REMOVE " + join(remove)
	}
	x.cond = x.name(attrType) + " = " + x.value(strAV(typeRecord)) + " AND " + x.live(p.now)
	if u.IfVersion != 0 {
		x.cond += " AND " + x.name(attrVersion) + " = " + x.value(number(u.IfVersion))
	}
	p.add(origin{i, -1, roleReplace}, types.TransactWriteItem{Update: x.update(p.s.table, keyOf(u.Ref), update)})
	return nil
}

// remove reads the record (to learn its version and claims) and deletes it at that version,
// with every claim it holds.
func (p *plan) remove(ctx context.Context, i int, d *store.Delete) error {
	rec, ok, err := p.read(ctx, i, d.Ref, d.IfVersion)
	if err != nil || !ok {
		return err
	}
	x := expr{}
	x.cond = x.name(attrVersion) + " = " + x.value(number(rec.Version))
	p.add(origin{i, -1, roleRemove}, types.TransactWriteItem{Delete: x.del(p.s.table, keyOf(d.Ref))})
	p.tally(rec, -1)
	for _, c := range rec.Claims {
		p.release(i, c, d.Ref)
	}
	return nil
}

func (p *plan) count(i int, c *store.Count) error {
	if c.Delta > 0 && c.Limit <= 0 {
		p.conflict = &store.Conflict{Action: i, Claim: -1, Reason: store.AtLimit}
		return nil
	}
	x := expr{}
	n := x.name(attrCounter)
	update := "ADD " + n + " " + x.value(number(c.Delta)) + " SET " + x.name(attrType) + " = " + x.value(strAV(typeCounter))
	if c.Delta > 0 {
		x.cond = "attribute_not_exists(" + n + ") OR " + n + " < " + x.value(number(c.Limit))
	} else {
		x.cond = n + " > " + x.value(number(0))
	}
	p.add(origin{i, -1, roleCounter}, types.TransactWriteItem{Update: x.update(p.s.table, keyOf(c.Ref), update)})
	return nil
}

// sleep waits a jittered d (between d/2 and d), or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
