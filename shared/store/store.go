// Package store defines keyport's durable resource model: the portable types every storage
// driver (boltstore for `make run`, dynamostore for AWS) accepts, and the rules they all enforce
// (checked by storetest).
//
// Every resource is addressed by its logical identity, a Ref (service, tenant, kind, id). A
// driver maps a Ref to its own physical key, so that a change of key layout never touches what
// was sealed: the sealed value's associated data is Ref.AAD, not a physical key.
//
// Writes are transactions: one Apply runs a list of actions (puts, updates, deletes, counter
// moves) atomically or not at all, which is how uniqueness (one key per zone, unique
// AccessKeyId, one secret name per account) and quotas (500 keys per account) hold under
// concurrent requests. A refused precondition comes back as a *Conflict naming the action that
// refused it, never as a client fault and never with a key in it: each operation turns
// conflicts into its vendor's code in one place.
//
// Records past ExpiresAt are absent for every reader, for List, and for every precondition,
// because backends delete expired items lazily.
package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Ref is a resource's logical identity. Service is keyport's name for the vendor API (e.g.
// "tencent-apigateway"); Tenant the account, project or tenant that owns the resource ("" for
// a claim that is unique across tenants, such as a Tencent AccessKeyId); Kind the resource type
// within the service (e.g. "apikey", "name", "task"); ID the resource's id within its kind.
// Service and Kind are keyport's own constants and never contain '#' or NUL; Tenant and ID may
// hold any bytes that the driver can key on (dynamostore keys are DynamoDB strings, so there
// they must be valid UTF-8; every id keyport issues or accepts is).
type Ref struct {
	Service string
	Tenant  string
	Kind    string
	ID      string
}

// String renders the ref for internal logs and test messages; it is never shown to clients.
func (r Ref) String() string { return r.Service + "/" + r.Tenant + "/" + r.Kind + "/" + r.ID }

// aadLabel versions the associated-data encoding.
const aadLabel = "keyport/ref/v1"

// AAD is the associated data that binds a sealed value to this identity: a label and the four
// fields, each length-prefixed, so no two refs share an encoding and no physical key (which a
// driver or a table move may change) is involved.
func (r Ref) AAD() []byte {
	out := make([]byte, 0, len(aadLabel)+len(r.Service)+len(r.Tenant)+len(r.Kind)+len(r.ID)+16)
	out = append(out, aadLabel...)
	for _, f := range [...]string{r.Service, r.Tenant, r.Kind, r.ID} {
		out = binary.AppendUvarint(out, uint64(len(f)))
		out = append(out, f...)
	}
	return out
}

// Attrs are a record's non-secret attributes. A value is a string, an int64, a bool or a
// []string; drivers refuse any other type (an internal error) and return each value with the
// type it was stored with, so lists stay lists and numbers stay numbers.
type Attrs map[string]any

// String returns the string at name, "" when absent or of another type.
func (a Attrs) String(name string) string { s, _ := a[name].(string); return s }

// Int returns the int64 at name, 0 when absent or of another type.
func (a Attrs) Int(name string) int64 { n, _ := a[name].(int64); return n }

// Bool returns the bool at name, false when absent or of another type.
func (a Attrs) Bool(name string) bool { b, _ := a[name].(bool); return b }

// List returns the []string at name, nil when absent or of another type.
func (a Attrs) List(name string) []string { l, _ := a[name].([]string); return l }

// CheckAttrs reports an attribute whose value has a type drivers cannot store.
func CheckAttrs(a Attrs) error {
	for k, v := range a {
		switch v.(type) {
		case string, int64, bool, []string:
		default:
			return fmt.Errorf("store: attribute %q has unsupported type %T", k, v)
		}
	}
	return nil
}

// Record is one stored resource. Sealed holds an envelope blob from package seal (never
// plaintext), sealed with Ref.AAD as associated data; it is nil for records without a secret.
// Claims are the uniqueness claims the record holds (a name within its account, a globally
// unique id); they are released when the record is deleted.
type Record struct {
	Ref
	Attrs     Attrs
	Sealed    []byte
	Claims    []Ref
	Version   int64 // 1 when created; every update adds one. Set by the store.
	CreatedAt time.Time
	UpdatedAt time.Time // set by the store on every write
	ExpiresAt time.Time // zero means never
}

// Expired reports whether r is past its expiry at now.
func (r Record) Expired(now time.Time) bool {
	return !r.ExpiresAt.IsZero() && !now.Before(r.ExpiresAt)
}

// Put writes a whole record. With IfVersion 0 the record (live) must be absent; otherwise it
// must be live at exactly that version and is replaced (its claims are then replaced too).
// Every claim must be free or held by this same record.
type Put struct {
	Record    Record
	IfVersion int64
}

// Update changes a live record in place: Set attributes are merged over the stored ones (a nil
// value removes the attribute), a non-nil Sealed replaces the sealed value, and the version and
// UpdatedAt move. IfVersion 0 accepts any version; otherwise the record must be at exactly it.
// At is the update's time (zero means the store's clock).
type Update struct {
	Ref       Ref
	IfVersion int64
	Set       Attrs
	Sealed    []byte
	At        time.Time
}

// Delete removes a live record and releases its claims. IfVersion 0 accepts any version.
type Delete struct {
	Ref       Ref
	IfVersion int64
}

// Count moves a quota counter by Delta (+1 or -1). An increment is refused when the counter has
// already reached Limit; a decrement is refused when it is zero. Counters are not records:
// Get and List never return them.
type Count struct {
	Ref   Ref
	Delta int64
	Limit int64
}

// Action is one step of a transaction: exactly one of its fields is set.
type Action struct {
	Put    *Put
	Update *Update
	Delete *Delete
	Count  *Count
}

// Tx is a list of actions applied atomically, in the sense that either every action's
// precondition holds and all are applied, or nothing is written. One transaction may touch each
// ref (record, claim or counter) at most once; a transaction that does not is a programming
// error (an internal error, not a Conflict).
type Tx []Action

// Reason says which precondition refused a transaction.
type Reason uint8

// The reasons.
const (
	Exists  Reason = iota + 1 // a Put without IfVersion found the record live
	Claimed                   // a claim is held by another record
	Missing                   // an Update, Delete or versioned Put found no live record
	Stale                     // the record is live at another version than IfVersion
	AtLimit                   // an increment found the counter at its limit
	AtZero                    // a decrement found the counter at zero
)

var reasonNames = [...]string{"", "exists", "claimed", "missing", "stale", "at limit", "at zero"}

// String names the reason for logs.
func (r Reason) String() string {
	if int(r) < len(reasonNames) && r != 0 {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", r)
}

// Conflict is the error Apply returns when a precondition refused the transaction. Action is
// the index in the Tx of the action that refused; Claim, for Reason Claimed, the index of the
// claim in that Put's Record.Claims (-1 otherwise). When several preconditions fail, a driver
// reports one of them. Which one is defined only for a Tx of Puts without IfVersion and Counts
// (the creates, which need no read first): then it is the lowest action index, so a create can
// put the claim that decides its answer (a request nonce) first. A Conflict holds no key or
// value.
type Conflict struct {
	Action int
	Claim  int
	Reason Reason
}

// Error describes the conflict by index and reason, never by key.
func (c *Conflict) Error() string {
	if c.Reason == Claimed {
		return fmt.Sprintf("store: action %d: claim %d is held", c.Action, c.Claim)
	}
	return fmt.Sprintf("store: action %d: %s", c.Action, c.Reason)
}

// ConflictOf returns the Conflict in err's chain, or nil.
func ConflictOf(err error) *Conflict {
	var c *Conflict
	if errors.As(err, &c) {
		return c
	}
	return nil
}

// ErrNotFound is what Get returns for a ref with no live record.
var ErrNotFound = errors.New("store: not found")

// ErrBadCursor is what List returns for a cursor it did not issue for this query: forged,
// corrupted, or issued for another tenant, kind or prefix. It is the client's mistake.
var ErrBadCursor = errors.New("store: bad cursor")

// Query selects live records of one service, tenant and kind. With Order ByID (the default) it
// selects those whose ID starts with Prefix, in ascending byte order of ID. With a creation
// order (Oldest, Newest; indexed kinds only, and Prefix a group or "", see Group) it reads the creation index: on the
// first page (no Cursor) Offset entries are skipped first (entries, never records, are read to skip them), and with Entries
// the page's records are the index entries themselves (every field but Sealed and Claims),
// which is what a filter over attributes reads. With Order ByAttr (a kind with an attribute
// index, DeclareAttrIndex; Prefix a group or "") it reads the attribute index: the records whose
// indexed attribute is a string starting with AttrPrefix ("" selects every record that has one),
// or, with AttrExact, equal to it,
// in ascending order of that value (dynamostore orders values that agree on their first
// ~1,000 bytes, its index key's limit, by id instead: docs/store.md); Entries works as for a
// creation order, Offset must be 0.
// Limit is the page size (0 means DefaultPageLimit; at most MaxPageLimit). Cursor is "" for the
// first page, then a page's Next.
type Query struct {
	Service    string
	Tenant     string
	Kind       string
	Prefix     string
	Order      Order
	AttrPrefix string
	AttrExact  bool
	Offset     int
	Entries    bool
	Limit      int
	Cursor     string
}

// AttrMatches reports whether an attribute index value is one q selects: it starts with
// q.AttrPrefix, or equals it when q.AttrExact.
func (q Query) AttrMatches(value string) bool {
	if q.AttrExact {
		return value == q.AttrPrefix
	}
	return strings.HasPrefix(value, q.AttrPrefix)
}

// Page sizes.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
)

// Page is one page of a List. Next is "" on the last page; otherwise it is an opaque cursor,
// bound to the query (service, tenant, kind, prefix, order, entries) by a MAC, for the next page. A page may
// hold fewer than Limit records even when Next is not "" (expired records are skipped).
type Page struct {
	Records []Record
	Next    string
}

// Store is the contract every driver meets and storetest checks. Consumers declare the smaller
// interfaces they need (a handler that only reads asks for Get).
type Store interface {
	// Get returns the live record at ref, or ErrNotFound. It reads consistently: a record is
	// visible as soon as the Apply that wrote it returned.
	Get(ctx context.Context, ref Ref) (Record, error)
	// List returns one page of q, consistently (a record is listed as soon as it was written).
	List(ctx context.Context, q Query) (Page, error)
	// Count returns the number of live records of q's indexed collection (q's Service, Tenant,
	// Kind and group, its Prefix), consistently, without reading the records.
	Count(ctx context.Context, q Query) (int64, error)
	// Apply runs tx atomically; a refused precondition is a *Conflict.
	Apply(ctx context.Context, tx Tx) error
}
