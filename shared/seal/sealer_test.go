package seal_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"maps"
	"strings"
	"testing"

	"keyport/shared/seal"
)

var (
	testScope = seal.Scope{Service: "alibaba-apig", Tenant: "1234567890"}
	testAAD   = []byte("alibaba-apig/secret/1234567890/s-1")
	testValue = []byte("a secret value")
)

func TestEncryptionContext(t *testing.T) {
	tests := []struct {
		scope seal.Scope
		want  map[string]string
	}{
		{seal.Scope{Service: "tencent-teo", Tenant: "100"}, map[string]string{"service": "tencent-teo", "tenant": "100"}},
		{seal.Scope{Service: "gcore-cloud", Tenant: "1"}, map[string]string{"service": "gcore-cloud", "tenant": "1"}},
		{seal.Scope{}, map[string]string{"service": "", "tenant": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.scope.Service, func(t *testing.T) {
			if got := seal.EncryptionContext(tt.scope); !maps.Equal(got, tt.want) {
				t.Errorf("EncryptionContext(%+v): got %v, want %v", tt.scope, got, tt.want)
			}
		})
	}
}

func TestOneKeyWrapperCallPerOperation(t *testing.T) {
	kw := newCounting(t)
	var seen []map[string]string
	kw.sawContext = func(ec map[string]string) { seen = append(seen, maps.Clone(ec)) }
	s := seal.New(kw)
	const n = 5
	blobs := make([][]byte, n)
	for i := range n {
		blobs[i] = mustSeal(t, s, testValue)
	}
	if g, d := kw.calls(); g != n || d != 0 {
		t.Errorf("after %d seals: got %d GenerateDataKey and %d Decrypt calls, want %d and 0", n, g, d, n)
	}
	for _, b := range blobs {
		if _, err := s.Open(t.Context(), testScope, testAAD, b); err != nil {
			t.Fatalf("Open: got error %v, want nil", err)
		}
	}
	if g, d := kw.calls(); g != n || d != n {
		t.Errorf("after %d opens: got %d GenerateDataKey and %d Decrypt calls, want %d and %d", n, g, d, n, n)
	}
	want := seal.EncryptionContext(testScope)
	for i, ec := range seen {
		if !maps.Equal(ec, want) {
			t.Errorf("call %d: got encryption context %v, want %v", i, ec, want)
		}
	}
}

func TestBlobLayout(t *testing.T) {
	kw := newCounting(t)
	blob := mustSeal(t, seal.New(kw), testValue)
	wrapped := kw.wrapped[0]
	if blob[0] != 0x01 {
		t.Errorf("version byte: got %#x, want 0x01", blob[0])
	}
	if got := int(binary.BigEndian.Uint16(blob[1:3])); got != len(wrapped) {
		t.Errorf("length field: got %d, want %d", got, len(wrapped))
	}
	if got := blob[3 : 3+len(wrapped)]; !bytes.Equal(got, wrapped) {
		t.Errorf("wrapped key: got %x, want %x", got, wrapped)
	}
	if got, want := len(blob), 3+len(wrapped)+12+len(testValue)+16; got != want {
		t.Errorf("blob length: got %d, want %d (header, wrapped key, nonce, ciphertext, tag)", got, want)
	}
}

func TestDataKeysZeroed(t *testing.T) {
	kw := newCounting(t)
	s := seal.New(kw)
	blob := mustSeal(t, s, testValue)
	if _, err := s.Open(t.Context(), testScope, testAAD, blob); err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	for i, name := range []string{"Seal", "Open"} {
		if k := kw.handedOut[i]; !isZero(k) {
			t.Errorf("%s: data key not zeroed after use: got %d non-zero bytes", name, 32-bytes.Count(k, []byte{0}))
		}
	}
}

func TestSealKeyWrapperFaults(t *testing.T) {
	injected := errors.New("kms: throttled")
	secretKey := bytes.Repeat([]byte{0xEE}, 16)
	tests := []struct {
		name    string
		setup   func(c *counting)
		wantErr error // matched with errors.Is when set
	}{
		{"GenerateFails", func(c *counting) { c.generateErr = injected }, injected},
		{"ShortKey", func(c *counting) { c.mangleKey = func([]byte) []byte { return bytes.Clone(secretKey) } }, nil},
		{"LongKey", func(c *counting) { c.mangleKey = func(k []byte) []byte { return append(k, 0xEE) } }, nil},
		{"NilKey", func(c *counting) { c.mangleKey = func([]byte) []byte { return nil } }, nil},
		{"NoWrappedKey", func(c *counting) { c.mangleWrap = func([]byte) []byte { return nil } }, nil},
		{"WrappedTooLong", func(c *counting) { c.mangleWrap = func([]byte) []byte { return make([]byte, 1<<16) } }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kw := newCounting(t)
			tt.setup(kw)
			blob, err := seal.New(kw).Seal(t.Context(), testScope, testAAD, testValue)
			if err == nil || blob != nil {
				t.Fatalf("Seal: got %d bytes and error %v, want no blob and an error", len(blob), err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Seal: got error %v, want one wrapping %v", err, tt.wantErr)
			}
			msg := err.Error()
			if strings.Contains(msg, hex.EncodeToString(secretKey[:4])) || strings.Contains(msg, string(secretKey[:4])) {
				t.Errorf("Seal: error %q shows key material", msg)
			}
			for i, k := range kw.handedOut {
				if !isZero(k) {
					t.Errorf("data key %d not zeroed after a failed Seal", i)
				}
			}
		})
	}
	t.Run("WrappedMaxLength", func(t *testing.T) {
		kw := newCounting(t)
		kw.mangleWrap = func([]byte) []byte { return make([]byte, 1<<16-1) }
		blob, err := seal.New(kw).Seal(t.Context(), testScope, testAAD, testValue)
		if err != nil || binary.BigEndian.Uint16(blob[1:3]) != 0xFFFF {
			t.Errorf("Seal with a 65535-byte wrapped key: got error %v, want a blob with length 0xFFFF", err)
		}
	})
}

func TestSealRefusesEmptyScope(t *testing.T) {
	for _, sc := range []seal.Scope{{}, {Service: "gcore-cloud"}, {Tenant: "1"}} {
		kw := newCounting(t)
		if _, err := seal.New(kw).Seal(t.Context(), sc, testAAD, testValue); err == nil {
			t.Errorf("Seal(%+v): got nil error, want a refusal", sc)
		}
		if g, _ := kw.calls(); g != 0 {
			t.Errorf("Seal(%+v): got %d GenerateDataKey calls, want 0", sc, g)
		}
	}
}

func TestOpenFaults(t *testing.T) {
	tests := []struct {
		name         string
		setup        func(c *counting)
		blob         func(good []byte) []byte
		wantDecrypts int
	}{
		{"DecryptFails", func(c *counting) { c.decryptErr = errors.New("kms: AccessDenied for arn:…") }, same, 1},
		{"ShortKey", func(c *counting) { c.mangleKey = func(k []byte) []byte { return k[:16] } }, same, 1},
		{"NilKey", func(c *counting) { c.mangleKey = func([]byte) []byte { return nil } }, same, 1},
		{"BadVersion", nil, func(b []byte) []byte { b[0] = 0x02; return b }, 0},
		{"ZeroWrappedLength", nil, func(b []byte) []byte { b[1], b[2] = 0, 0; return b }, 0},
		{"NoRoomForNonceAndTag", nil, func(b []byte) []byte { return b[:len(b)-len(testValue)-17] }, 0},
		{"HeaderOnly", nil, func(b []byte) []byte { return b[:3] }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kw := newCounting(t)
			s := seal.New(kw)
			blob := tt.blob(mustSeal(t, s, testValue))
			if tt.setup != nil {
				tt.setup(kw)
			}
			got, err := s.Open(t.Context(), testScope, testAAD, blob)
			if err != seal.ErrOpen || got != nil {
				t.Errorf("Open: got %d bytes and error %v, want nothing and exactly %v", len(got), err, seal.ErrOpen)
			}
			if _, d := kw.calls(); d != tt.wantDecrypts {
				t.Errorf("Open: got %d Decrypt calls, want %d", d, tt.wantDecrypts)
			}
			for i, k := range kw.handedOut {
				if !isZero(k) {
					t.Errorf("data key %d not zeroed after a failed Open", i)
				}
			}
		})
	}
}

func same(b []byte) []byte { return b }

func mustSeal(t *testing.T, s *seal.Sealer, pt []byte) []byte {
	t.Helper()
	blob, err := s.Seal(t.Context(), testScope, testAAD, pt)
	if err != nil {
		t.Fatalf("Seal: got error %v, want nil", err)
	}
	return blob
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
