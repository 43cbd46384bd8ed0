package kmsecret

import (
	"strings"

	"keyport/shared/fault"
)

const (
	pemBegin   = "-----BEGIN "
	pemEnd     = "-----END "
	pemDashes  = "-----"
	pemLineMax = 64
)

// PEMBlocks is K5's rule for text/plain payloads: the payload must hold at least one
// "-----BEGIN X-----" … "-----END X-----" block, and inside every block each line is at most 64
// characters of A-Z a-z 0-9 + / =.
//
// Choices where K5's page is silent (docs/wire/keymanager.md, "Where the vendor is silent"):
//   - The END label must equal the BEGIN label (RFC 7468 §2; "BEGIN XXX … END XXX" on the page).
//   - Markers may share a line with the base64, as in the page's own example
//     "-----BEGIN XXXX-----MIIEow…Rwg7Jp-----END XXXX-----"; the text between the markers is
//     split into lines and each is checked.
//   - CR before LF ends a line and is not content, so CRLF files pass; blank lines are allowed,
//     but a block must not be empty.
//   - Text outside the blocks is free (openssl writes "Bag Attributes" there), and every block
//     present is checked, so a certificate chain with one broken block is refused.
//   - RFC 1421 headers inside a block (Proc-Type, DEK-Info) contain ':' and ',' and are refused,
//     because K5 allows only the base64 alphabet.
//
// Reasons never quote the payload.
func PEMBlocks(payload string) error {
	found := false
	for rest := payload; ; {
		i := strings.Index(rest, pemBegin)
		if i < 0 {
			break
		}
		label, after, ok := cutLabel(rest[i+len(pemBegin):])
		if !ok {
			return pemFault("has a -----BEGIN marker without a valid label")
		}
		end := pemEnd + label + pemDashes
		inner, tail, ok := strings.Cut(after, end)
		if !ok {
			return pemFault("has a -----BEGIN block without its matching -----END marker")
		}
		if err := pemBody(inner); err != nil {
			return err
		}
		found, rest = true, tail
	}
	if !found {
		return pemFault("must contain a -----BEGIN XXX----- ... -----END XXX----- block")
	}
	return nil
}

// cutLabel splits "LABEL-----rest" into LABEL and rest. A label is printable ASCII without '-'.
func cutLabel(s string) (label, rest string, ok bool) {
	label, rest, ok = strings.Cut(s, pemDashes)
	if !ok || label == "" {
		return "", "", false
	}
	for i := 0; i < len(label); i++ {
		if c := label[i]; c < 0x20 || c > 0x7e || c == '-' {
			return "", "", false
		}
	}
	return label, rest, true
}

// pemBody checks the lines between a block's markers.
func pemBody(inner string) error {
	chars := 0
	for line := range strings.SplitSeq(inner, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if len(line) > pemLineMax {
			return pemFault("has a line over 64 characters inside a -----BEGIN block")
		}
		for i := 0; i < len(line); i++ {
			if !isBase64Char(line[i]) {
				return pemFault("may contain only A-Z, a-z, 0-9, +, / and = inside a -----BEGIN block")
			}
		}
		chars += len(line)
	}
	if chars == 0 {
		return pemFault("has an empty -----BEGIN block")
	}
	return nil
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

func pemFault(reason string) error {
	return fault.New(fault.Invalid, "payload", "payload "+reason)
}
