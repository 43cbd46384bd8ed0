package gcore_test

import (
	"strings"
	"testing"

	"keyport/shared/api/gcore"
	"keyport/shared/fault"
)

const sampleID = "0b5c2f5e-7d3a-4c1e-9f10-2a3b4c5d6e7f"

func TestCanonicalID(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{sampleID, sampleID, true},
		{strings.ToUpper(sampleID), sampleID, true},
		{"", "", false},
		{"not-a-uuid", "", false},
		{strings.ReplaceAll(sampleID, "-", ""), "", false},
		{"{" + sampleID + "}", "", false},
		{"urn:uuid:" + sampleID, "", false},
		{sampleID[:35] + "g", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := gcore.CanonicalID(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("got %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzCanonicalID: the id parser never panics and accepts only the canonical form.
func FuzzCanonicalID(f *testing.F) {
	for _, s := range []string{sampleID, strings.ToUpper(sampleID), "", "x", "{" + sampleID + "}", strings.ReplaceAll(sampleID, "-", "")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := gcore.CanonicalID(s)
		if ok && (id != strings.ToLower(s) || len(id) != 36) {
			t.Fatalf("accepted %q as %q", s, id)
		}
	})
}

// TestPathID: a canonical id is read; anything else is the kind's not-found answer, naming no
// id, since the segment is not one.
func TestPathID(t *testing.T) {
	if id, err := gcore.PathID("Secret", strings.ToUpper(sampleID)); id != sampleID || err != nil {
		t.Fatalf("got %q, %v; want %q", id, err, sampleID)
	}
	_, err := gcore.PathID("Task", "not-a-uuid")
	if f := fault.As(err); f.Kind != fault.NotFound || f.Reason != "Task could not be found" {
		t.Fatalf("got %v, want NotFound \"Task could not be found\"", err)
	}
	if f := fault.As(gcore.NotFound("Secret", sampleID)); f.Kind != fault.NotFound || f.Reason != "Secret "+sampleID+" could not be found" {
		t.Fatalf("got %v", f)
	}
}
