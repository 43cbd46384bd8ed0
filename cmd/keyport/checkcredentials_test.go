package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckCredentials(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(good, []byte(`{"k5":[{"token":"t","tenant":"p","policy":[{"effect":"allow","actions":["k5:Get*"],"resources":["*"]}]},{"token":"u","tenant":"p"}]}`), 0o600)
	_ = os.WriteFile(bad, []byte(`{"k5":[{"token":"hunter2","tenant":"p","policy":[{"effect":"allow","actions":["k5:Steal"],"resources":["*"]}]}]}`), 0o600)
	var out strings.Builder
	if err := checkCredentials([]string{good}, &out); err != nil || !strings.Contains(out.String(), "1 credentials without a policy") {
		t.Errorf("good document: %v, %q", err, out.String())
	}
	err := checkCredentials([]string{bad}, &out)
	if err == nil || !strings.Contains(err.Error(), `k5[0].policy statement 0: action "k5:Steal"`) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad document: %v", err)
	}
	if checkCredentials(nil, &out) == nil {
		t.Error("no file accepted")
	}
}
