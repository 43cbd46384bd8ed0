package localserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"keyport/shared/seal/awskms"
	"keyport/shared/store"
	"keyport/shared/store/dynamostore"
)

// With -create-table, keyport runs against a local moto_server, which forgets every table and
// key when it restarts. Fixing the KMS key id at start-up would then fail every create until
// keyport restarted too, so in that mode the key and the table are made again when a call finds
// them gone. What the old key sealed is lost with it (moto lost those records too). On AWS,
// where the stack owns both, none of this runs.

// recoveringKey is a seal.KeyWrapper on a KMS key that keyport created and creates again when
// KMS no longer knows it. It is safe for concurrent use: one recreation serves every request
// that found the key gone.
type recoveringKey struct {
	client *kms.Client
	logger *slog.Logger
	mu     sync.Mutex
	keyID  string
	w      *awskms.Wrapper
}

func newRecoveringKey(client *kms.Client, keyID string, logger *slog.Logger) *recoveringKey {
	return &recoveringKey{client: client, logger: logger, keyID: keyID, w: awskms.New(client, keyID)}
}

func (k *recoveringKey) current() *awskms.Wrapper {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.w
}

// GenerateDataKey issues a data key, creating the KMS key again first if it is gone.
func (k *recoveringKey) GenerateDataKey(ctx context.Context, ec map[string]string) ([]byte, []byte, error) {
	w := k.current()
	pt, wrapped, err := w.GenerateDataKey(ctx, ec)
	if !keyGone(err) {
		return pt, wrapped, err
	}
	if w, err = k.recreate(ctx, w); err != nil {
		return nil, nil, err
	}
	return w.GenerateDataKey(ctx, ec)
}

// Decrypt unwraps under the current key; a data key wrapped under a key that is gone cannot be
// unwrapped by any other.
func (k *recoveringKey) Decrypt(ctx context.Context, wrapped []byte, ec map[string]string) ([]byte, error) {
	return k.current().Decrypt(ctx, wrapped, ec)
}

// recreate creates a new KMS key unless another request already replaced failed.
func (k *recoveringKey) recreate(ctx context.Context, failed *awskms.Wrapper) (*awskms.Wrapper, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.w != failed {
		return k.w, nil
	}
	out, err := k.client.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		return nil, fmt.Errorf("KMS key %s no longer exists and creating another failed: %w", k.keyID, err)
	}
	k.logger.Warn("KMS key no longer exists (the local KMS restarted?): created another; secrets sealed under the old key cannot be opened",
		"old_key", k.keyID, "new_key", *out.KeyMetadata.KeyId)
	k.keyID, k.w = *out.KeyMetadata.KeyId, awskms.New(k.client, *out.KeyMetadata.KeyId)
	return k.w, nil
}

// keyGone reports whether err says the KMS key does not exist.
func keyGone(err error) bool {
	var nf *kmstypes.NotFoundException
	return errors.As(err, &nf)
}

// pinnedKey is the seal.KeyWrapper for a key the operator named with -kms-key: keyport never
// replaces it, but when KMS no longer knows it the error says so and how to fix it.
type pinnedKey struct {
	*awskms.Wrapper
	keyID string
}

func (k pinnedKey) GenerateDataKey(ctx context.Context, ec map[string]string) ([]byte, []byte, error) {
	pt, wrapped, err := k.Wrapper.GenerateDataKey(ctx, ec)
	if keyGone(err) {
		err = fmt.Errorf("KMS key %s (-kms-key) does not exist: create it again, or omit -kms-key so that -create-table creates one: %w", k.keyID, err)
	}
	return pt, wrapped, err
}

// recoveringTable is the DynamoDB store on a table that keyport creates again when a call
// finds it gone, then retries the call once.
type recoveringTable struct {
	*dynamostore.Store
	client *dynamodb.Client
	table  string
	logger *slog.Logger
	mu     sync.Mutex
}

func (t *recoveringTable) Get(ctx context.Context, ref store.Ref) (store.Record, error) {
	rec, err := t.Store.Get(ctx, ref)
	if t.recovered(ctx, err) {
		return t.Store.Get(ctx, ref)
	}
	return rec, err
}

func (t *recoveringTable) List(ctx context.Context, q store.Query) (store.Page, error) {
	p, err := t.Store.List(ctx, q)
	if t.recovered(ctx, err) {
		return t.Store.List(ctx, q)
	}
	return p, err
}

func (t *recoveringTable) Count(ctx context.Context, q store.Query) (int64, error) {
	n, err := t.Store.Count(ctx, q)
	if t.recovered(ctx, err) {
		return t.Store.Count(ctx, q)
	}
	return n, err
}

func (t *recoveringTable) Apply(ctx context.Context, tx store.Tx) error {
	err := t.Store.Apply(ctx, tx)
	if t.recovered(ctx, err) {
		return t.Store.Apply(ctx, tx)
	}
	return err
}

// recovered reports whether err said the table is gone and the table was created again.
// Creating an existing table is a no-op (dynamostore.CreateTable), so concurrent recoveries
// are harmless; the lock only keeps them from piling up.
func (t *recoveringTable) recovered(ctx context.Context, err error) bool {
	var nf *dbtypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := dynamostore.CreateTable(ctx, t.client, t.table); err != nil {
		t.logger.Error("DynamoDB table is gone and creating it again failed", "table", t.table, "error", err.Error())
		return false
	}
	t.logger.Warn("DynamoDB table was gone (the local DynamoDB restarted?): created it again", "table", t.table)
	return true
}
