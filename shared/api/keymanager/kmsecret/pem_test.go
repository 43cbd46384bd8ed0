package kmsecret

import (
	"strings"
	"testing"
)

func TestPEMBlocks(t *testing.T) {
	tests := []struct {
		name, payload string
		ok            bool
	}{
		{"multi-line", "-----BEGIN CERTIFICATE-----\n" + pem64 + "\nQUJD\n-----END CERTIFICATE-----", true},
		{"CRLF", "-----BEGIN X-----\r\n" + pem64 + "\r\nQQ==\r\n-----END X-----", true},
		{"same line as markers", "-----BEGIN XXXX-----MIIEowRwg7Jp-----END XXXX-----", true},
		{"text around the block", "subject=CN=x\n-----BEGIN X-----\nQUJD\n-----END X-----\ntrailer", true},
		{"chain", "-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN B-----\nREVG\n-----END B-----", true},
		{"blank lines inside", "-----BEGIN X-----\n\nQUJD\n\n-----END X-----", true},
		{"label with spaces", "-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----", true},
		{"no block", "QUJD", false},
		{"END only", "QUJD\n-----END X-----", false},
		{"no END", "-----BEGIN X-----\nQUJD", false},
		{"labels differ", "-----BEGIN X-----\nQUJD\n-----END Y-----", false},
		{"empty label", "-----BEGIN -----\nQUJD\n-----END -----", false},
		{"BEGIN without closing dashes", "-----BEGIN X\nQUJD\n-----END X-----", false},
		{"line of 65", "-----BEGIN X-----\n" + pem64 + "Q\n-----END X-----", false},
		{"65 on the marker line", "-----BEGIN X-----" + pem64 + "Q-----END X-----", false},
		{"space", "-----BEGIN X-----\nQU JD\n-----END X-----", false},
		{"tab", "-----BEGIN X-----\n\tQUJD\n-----END X-----", false},
		{"RFC 1421 header", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nQUJD\n-----END RSA PRIVATE KEY-----", false},
		{"non-ASCII", "-----BEGIN X-----\nQUJDé\n-----END X-----", false},
		{"empty block", "-----BEGIN X----------END X-----", false},
		{"second block broken", "-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN B-----\nRE VG\n-----END B-----", false},
		{"second block unterminated", "-----BEGIN A-----\nQUJD\n-----END A-----\n-----BEGIN B-----\nREVG", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := PEMBlocks(tt.payload)
			if (err == nil) != tt.ok {
				t.Fatalf("pemBlocks: got error %v, want ok=%v", err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), "QUJD") {
				t.Errorf("error %q quotes the payload", err)
			}
		})
	}
}

// pem64 is a well-formed one-line block body of 64 characters.
var pem64 = strings.Repeat("QUJD", 16)
