package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCheckAssembly(t *testing.T) {
	dir := t.TempDir()
	manifest := `{"files":{"abc":{"source":{"path":"asset.abc","packaging":"zip"}},
	  "tpl":{"source":{"path":"S.template.json","packaging":"file"}}}}`
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("S.assets.json", manifest)
	write("S.template.json", "{}")
	if err := checkAssembly(dir, "S"); err == nil {
		t.Fatal("an asset directory without its bootstrap was accepted")
	}
	write("asset.abc/bootstrap", "\x7fELF")
	if err := checkAssembly(dir, "S"); err != nil {
		t.Fatalf("complete assembly refused: %v", err)
	}
	if err := checkAssembly(dir, "Other"); err == nil {
		t.Fatal("a missing manifest was accepted")
	}
}
