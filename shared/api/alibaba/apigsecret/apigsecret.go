// Package apigsecret is the APIG secret as every Alibaba operation on it sees it: where a
// secret and its name live in the store, which ids, names and values can exist at all (and how
// new ids are made), how a stored secret renders on the wire, and the one NotFound answer for a
// secret that is not there.
//
// A secret is two records of its account, written and deleted together in one transaction:
//
//   - the secret, keyed by its id (Ref): attributes, the sealed value, the times;
//   - its name, keyed by the name (NameRef), holding the secret's id.
//
// The name record is both the uniqueness rule (a create puts it only if absent) and the index
// GetSecretValue reads, since APIG addresses a value by name only. A name lookup is thus two
// consistent key reads in the account's own partition, whatever the number of secrets; a
// scan-and-filter over the account's secrets would grow with it and would need the list
// permission (a Query plus the paging-key item) for the one operation that may decrypt.
package apigsecret

import (
	"context"
	"errors"
	"fmt"
	"time"

	"keyport/shared/api/alibaba"
	"keyport/shared/audit"
	"keyport/shared/fault"
	"keyport/shared/ids"
	"keyport/shared/store"
	"keyport/shared/valid"
)

// The record kinds of the service.
const (
	Kind     = "secret"
	NameKind = "secretname"
)

// Secrets are listed newest first, in pages with a total (store.DeclareIndex).
var _ = store.DeclareIndex(alibaba.Service, Kind)

// Ref is the ref of secret id of account.
func Ref(account, id string) store.Ref {
	return store.Ref{Service: alibaba.Service, Tenant: account, Kind: Kind, ID: id}
}

// NameRef is the ref of the name record of account's secret called name.
func NameRef(account, name string) store.Ref {
	return store.Ref{Service: alibaba.Service, Tenant: account, Kind: NameKind, ID: name}
}

// The attributes of a secret record. secretData is never among them: it lives only sealed.
const (
	AttrName          = "name"
	AttrDescription   = "description"
	AttrGatewayType   = "gatewayType"
	AttrSecretSource  = "secretSource"
	AttrKMSInstanceID = "kmsInstanceId"
	AttrKMSKeyID      = "kmsKeyId"
	AttrStatus        = "status"
	// AttrSecretID is the name record's one attribute: the id of the secret it names.
	AttrSecretID = "secretId"
)

// GatewayTypes are the values of gatewayType: API gateway and AI gateway.
var GatewayTypes = []string{"API", "AI"}

// DefaultSecretSource is the secretSource of a secret created without one (the console's
// default; see docs/wire/alibaba.md, "Required and defaulted fields").
const DefaultSecretSource = "KMS"

// StatusEnabled is every secret's status. GetSecret's documentation spells it ENALBE and
// ListSecrets' ENABLE; keyport sends the correct spelling (no client checks the value) and has
// no enable/disable, since APIG has none for secrets.
const StatusEnabled = "ENABLE"

// MaxName is the documented bound of a name: 1 to 64 letters, digits and underscores.
const MaxName = 64

// ValidName reports whether name could be a secret's name.
func ValidName(name string) bool { return valid.WordOfLength("name", name, 1, MaxName) == nil }

// MaxValue bounds a secret's value (secretData) in bytes, what storage pays for: 64 KiB. APIG
// documents no bound; API keys and tokens are far shorter, AWS Secrets Manager uses the same
// cap, and a record stays far below DynamoDB's 400 KB item limit.
const MaxValue = 64 << 10

// ValidValue is the rule for a secret's value, on create and update alike: present, not empty
// (a secret without a value is of no use, and the value is what keyport exists to keep), and at
// most MaxValue bytes.
func ValidValue(v string) error {
	if err := valid.Required("secretData", v); err != nil {
		return err
	}
	if len(v) > MaxValue {
		return fault.Newf(fault.Invalid, "secretData", "must be at most %d bytes", MaxValue)
	}
	return nil
}

// IDPrefix and IDLen shape the ids keyport issues: "sec-" and 20 lower-case letters and digits.
const (
	IDPrefix = "sec-"
	IDLen    = 20
)

// idAlphabet shapes ids like APIG's sec-d5e6shmm1hkoxxxxxxxx: IDLen lower-case letters and
// digits, in ascending order as ids.TimeOrdered needs.
const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// NewID returns a fresh secret id: sec-, the time in 9 characters (36^9 milliseconds reach past
// the year 5000) and 11 random ones (about 57 bits, fresh every millisecond). Ids are
// time-ordered, so concurrent creates write the same few store pages.
func NewID(now time.Time) string {
	const timeWidth = 9
	return ids.TimeOrdered(IDPrefix, idAlphabet, timeWidth, IDLen-timeWidth, now)
}

// ValidID reports whether id has the shape of an id keyport issues. Anything else cannot name a
// secret, so it is answered NotFound without a store read (and never reaches a store key).
func ValidID(id string) bool {
	if len(id) != len(IDPrefix)+IDLen || id[:len(IDPrefix)] != IDPrefix {
		return false
	}
	for _, c := range []byte(id[len(IDPrefix):]) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// CodeNotFound answers an unknown, deleted, malformed or another account's secret or name, with
// HTTP 404. APIG documents no code for it; Terraform's provider treats any 404, or a code
// matching "NotFound", as gone, and the sibling APIG resources answer NotFound.<Thing>
// (docs/wire/alibaba.md, "Terraform's provider").
const CodeNotFound = "NotFound.Secret"

// maxQuoted bounds how much of a path value a NotFound message repeats.
const maxQuoted = 128

// NotFoundID is the answer for a secret id that names no secret of the caller's account. The
// message quotes the id (Go-escaped and cut to a bounded length, since it is whatever the path
// held) so the caller sees which one.
func NotFoundID(id string) error {
	return fault.Newf(fault.NotFound, "", "The secret %s does not exist.", quote(id)).WithCode(CodeNotFound)
}

// NotFoundName is NotFoundID for a secret addressed by name.
func NotFoundName(name string) error {
	return fault.Newf(fault.NotFound, "", "No secret named %s exists.", quote(name)).WithCode(CodeNotFound)
}

func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%q…", s[:maxQuoted])
	}
	return fmt.Sprintf("%q", s)
}

// getter is the store call a lookup makes.
type getter interface {
	Get(ctx context.Context, ref store.Ref) (store.Record, error)
}

// Get returns account's secret id, or NotFoundID. Another account's secret is simply not under
// this account's key, so it looks exactly like a missing one.
func Get(ctx context.Context, st getter, account, id string) (store.Record, error) {
	if !ValidID(id) {
		return store.Record{}, NotFoundID(id)
	}
	rec, err := st.Get(ctx, Ref(account, id))
	if errors.Is(err, store.ErrNotFound) {
		return store.Record{}, NotFoundID(id)
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("apigsecret: get: %w", err)
	}
	audit.SetResource(ctx, id) // every operation on one secret, by id or by name, finds it here
	return rec, nil
}

// GetByName returns account's secret called name, or NotFoundName: the name record, then the
// secret it names. A secret deleted between the two reads is not found, as it would be a moment
// later; a name record naming a secret of another name is an internal error (they are written
// and deleted together, so it cannot happen short of a bug).
func GetByName(ctx context.Context, st getter, account, name string) (store.Record, error) {
	if !ValidName(name) {
		return store.Record{}, NotFoundName(name)
	}
	idx, err := st.Get(ctx, NameRef(account, name))
	if errors.Is(err, store.ErrNotFound) {
		return store.Record{}, NotFoundName(name)
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("apigsecret: get name: %w", err)
	}
	rec, err := Get(ctx, st, account, idx.Attrs.String(AttrSecretID))
	if fault.KindOf(err) == fault.NotFound {
		return store.Record{}, NotFoundName(name)
	}
	if err != nil {
		return store.Record{}, err
	}
	if got := rec.Attrs.String(AttrName); got != name {
		return store.Record{}, fmt.Errorf("apigsecret: name record %s names secret %s, which is called %q", idx.Ref, rec.ID, got)
	}
	return rec, nil
}
