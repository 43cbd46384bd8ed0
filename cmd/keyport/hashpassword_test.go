package main

import (
	"bytes"
	"strings"
	"testing"

	"keyport/shared/credentials"
)

// TestHashPasswordMakesAUsableHash: the printed hash, put in a document, checks the password
// it was made from, and never contains it.
func TestHashPasswordMakesAUsableHash(t *testing.T) {
	var out bytes.Buffer
	if err := hashPassword(strings.NewReader("correct horse\n"), &out); err != nil {
		t.Fatal(err)
	}
	hash := strings.TrimSpace(out.String())
	if strings.Contains(hash, "correct") {
		t.Fatalf("hash %q contains the password", hash)
	}
	book, err := credentials.FromDocument(credentials.Document{
		Users:    []credentials.User{{ID: "u", Name: "u", Password: hash, Projects: []credentials.Project{{ID: "p", Name: "p", Roles: []string{"member"}}}}},
		Keystone: credentials.Keystone{TokenKeys: []string{"MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE="}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := book.CheckPassword(credentials.UserRef{ID: "u"}, "correct horse"); !ok {
		t.Error("the printed hash does not check its password")
	}
	for _, in := range []string{"", "\n", strings.Repeat("x", 4097)} {
		if err := hashPassword(strings.NewReader(in), &out); err == nil {
			t.Errorf("hash-password accepted %d bytes", len(in))
		}
	}
}
