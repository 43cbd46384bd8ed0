package seal

import (
	"context"
	"errors"
)

// ErrUndeclared is what a restricted sealer's key wrapper returns for a KMS call the operation
// did not declare. Seal wraps it; Open, as for every failure, answers ErrOpen.
var ErrUndeclared = errors.New("seal: KMS call not declared by the operation (AWS would deny it)")

// Restrict returns a Sealer over the same key wrapper that may call GenerateDataKey only when
// seals and Decrypt only when opens, the two KMS permissions an operation's row declares (see
// operation.Row.Build). The refused call never reaches KMS.
func (s *Sealer) Restrict(seals, opens bool) *Sealer {
	return &Sealer{kw: restrictedWrapper{kw: s.kw, seals: seals, opens: opens}}
}

type restrictedWrapper struct {
	kw           KeyWrapper
	seals, opens bool
}

func (r restrictedWrapper) GenerateDataKey(ctx context.Context, ec map[string]string) ([]byte, []byte, error) {
	if !r.seals {
		return nil, nil, ErrUndeclared
	}
	return r.kw.GenerateDataKey(ctx, ec)
}

func (r restrictedWrapper) Decrypt(ctx context.Context, wrapped []byte, ec map[string]string) ([]byte, error) {
	if !r.opens {
		return nil, ErrUndeclared
	}
	return r.kw.Decrypt(ctx, wrapped, ec)
}
