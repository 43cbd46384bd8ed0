package credentials

import (
	"bytes"
	"strings"
	"testing"
)

func TestAuditKey(t *testing.T) {
	configured := strings.Repeat("k", MinAuditKey)
	withKey := func(d string) string { return strings.TrimSuffix(d, "}") + `,"auditKey":"` + configured + `"}` }
	rotated := strings.Replace(doc, `"k5tok"`, `"k5tok-rotated"`, 1)
	key := func(t *testing.T, d string) []byte {
		t.Helper()
		b, err := Parse([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		return b.AuditKey()
	}

	if !bytes.Equal(key(t, withKey(doc)), []byte(configured)) {
		t.Errorf("got a key other than the configured auditKey")
	}
	if !bytes.Equal(key(t, withKey(doc)), key(t, withKey(rotated))) {
		t.Errorf("got the configured key changed by a token rotation, want it kept")
	}
	derived := key(t, doc)
	if len(derived) != 32 || !bytes.Equal(derived, key(t, doc)) {
		t.Errorf("got derived key %x, want 32 bytes, the same for the same document", derived)
	}
	if bytes.Equal(derived, key(t, rotated)) {
		t.Errorf("got the same derived key after a token changed, want a new one")
	}
	for _, secret := range []string{"ska", "sa", "tok-1", "k5tok"} {
		if bytes.Contains(derived, []byte(secret)) {
			t.Errorf("derived key holds the secret %q", secret)
		}
	}
	short := strings.TrimSuffix(doc, "}") + `,"auditKey":"too-short"}`
	if _, err := Parse([]byte(short)); err == nil || strings.Contains(err.Error(), "too-short") {
		t.Errorf("got %v, want a short auditKey refused without quoting it", err)
	}
}

func TestAuditKeyFollowsARefresh(t *testing.T) {
	b, _ := Parse([]byte(doc))
	before := b.AuditKey()
	next, _ := Parse([]byte(strings.Replace(doc, `"k5tok"`, `"k5tok-2"`, 1)))
	b.replace(next)
	if bytes.Equal(before, b.AuditKey()) {
		t.Errorf("got the old key after the book was replaced, want the new document's")
	}
}
