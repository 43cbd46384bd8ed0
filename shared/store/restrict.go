package store

import (
	"context"
	"errors"
	"fmt"
)

// Restrict returns the Store an operation sees: it makes only the calls in n and refuses every
// other one with an *Undeclared error, without reaching s; and it is the one place where a
// driver's errors become the contract's kinds (see Kinded). Every operation runs on a
// restricted store (see operation.Row.Build), so a call its row does not declare fails in the
// local server and in its tests the way AWS would deny it: the function's IAM policy is derived
// from the same Need.
func Restrict(s Store, n Need) Store { return restricted{s: s, n: n} }

// Undeclared is the error of a call a restricted store refuses. It is an internal error (a
// wiring mistake), never a client fault.
type Undeclared struct{ Call Need }

func (e *Undeclared) Error() string {
	return fmt.Sprintf("store: %s is not declared by the operation (AWS would deny it)", e.Call)
}

type restricted struct {
	s Store
	n Need
}

func (r restricted) Get(ctx context.Context, ref Ref) (Record, error) {
	if !r.n.Has(NeedGet) {
		return Record{}, &Undeclared{Call: NeedGet}
	}
	rec, err := r.s.Get(ctx, ref)
	return rec, Kinded(err)
}

func (r restricted) List(ctx context.Context, q Query) (Page, error) {
	if !r.n.Has(NeedList) {
		return Page{}, &Undeclared{Call: NeedList}
	}
	page, err := r.s.List(ctx, q)
	return page, Kinded(err)
}

// Count is a read of the collection's index, so it is allowed with List.
func (r restricted) Count(ctx context.Context, q Query) (int64, error) {
	if !r.n.Has(NeedList) {
		return 0, &Undeclared{Call: NeedList}
	}
	n, err := r.s.Count(ctx, q)
	return n, Kinded(err)
}

func (r restricted) Apply(ctx context.Context, tx Tx) error {
	for _, a := range tx {
		if call := a.need(); !r.n.Has(call) {
			return &Undeclared{Call: call}
		}
	}
	return Kinded(r.s.Apply(ctx, tx))
}

// need is the Need bit that allows a.
func (a Action) need() Need {
	switch {
	case a.Put != nil && a.Put.IfVersion == 0:
		return NeedPut
	case a.Put != nil:
		return NeedReplace
	case a.Update != nil:
		return NeedUpdate
	case a.Delete != nil:
		return NeedDelete
	case a.Count != nil:
		return NeedCount
	}
	return 0 // an empty action: the driver refuses it as malformed
}

// Kinded returns err as one of the contract's kinds: nil, ErrNotFound, ErrBadCursor, a
// *Conflict or an *Undeclared as they are, and anything else as a *DriverError that keeps only
// the driver's text. So no error a driver wraps (an SDK's, or a value that happens to carry a
// client-facing kind) can reach an operation as anything but a server fault, and operations
// return store errors as they get them.
func Kinded(err error) error {
	var conflict *Conflict
	var undeclared *Undeclared
	var driver *DriverError
	switch {
	case err == nil, errors.Is(err, ErrNotFound), errors.Is(err, ErrBadCursor),
		errors.As(err, &conflict), errors.As(err, &undeclared), errors.As(err, &driver):
		return err
	}
	d := &DriverError{text: err.Error()}
	if errors.Is(err, context.DeadlineExceeded) {
		d.deadline = context.DeadlineExceeded
	} else if errors.Is(err, context.Canceled) {
		d.deadline = context.Canceled
	}
	return d
}

// DriverError is a backend failure: the server's fault, never the client's. It unwraps to a
// context error only, so a request that ran out of time is still reported as a timeout.
type DriverError struct {
	text     string
	deadline error
}

func (e *DriverError) Error() string { return e.text }

// Unwrap returns the context error behind the failure, or nil.
func (e *DriverError) Unwrap() error { return e.deadline }
