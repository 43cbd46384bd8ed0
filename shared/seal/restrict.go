package seal

import "errors"

// ErrUndeclared is what a restricted sealer's Seal wraps for a KMS call the operation did not
// declare; its Open, as for every failure, answers ErrOpen.
var ErrUndeclared = errors.New("seal: KMS call not declared by the operation (AWS would deny it)")

// Restrict returns a Sealer over the same key wrapper and the same data-key cache that seals
// only when seals and opens only when opens, the two KMS permissions an operation's row declares
// (see operation.Row.Build). A refused call never reaches KMS, and never the cache either: a
// key cached for another operation of the same function seals or opens nothing here.
func (s *Sealer) Restrict(seals, opens bool) *Sealer {
	out := *s
	out.seals, out.opens = s.seals && seals, s.opens && opens
	return &out
}
