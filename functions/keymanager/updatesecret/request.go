package updatesecret

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
)

// ruleset is what differs between the layouts. K5 documents no PUT; keyport applies K5's create
// rules to it (the PEM block for text, within K5's limit), so a K5 secret obeys the same rules
// however its payload arrived. The request limit (413) is the layout's, applied by the skeleton
// as it reads the body; the payload limit is the layout's too.
type ruleset struct {
	pem       bool
	maxSecret int
}

func rulesOf(l keymanager.Layout) ruleset {
	return ruleset{pem: !l.Upstream, maxSecret: l.MaxSecret()}
}

// payload is a decoded PUT body: the bytes to seal and the content type to record.
type payload struct {
	contentType string
	plaintext   []byte
}

// parse applies Barbican's rules to a body of contentType: not empty (400), not over the secret
// limit (413); for octet-stream, Content-Encoding base64 means the body is base64 (which must
// decode), no encoding means raw bytes, and any other encoding is 400; text/plain ignores
// Content-Encoding and must be Unicode text (and, in K5's layout, hold a PEM block).
func parse(body []byte, contentType, encoding string, rules ruleset) (payload, error) {
	if len(body) == 0 {
		return payload{}, fault.New(fault.Malformed, "", "No data supplied to process.")
	}
	if len(body) > rules.maxSecret {
		return payload{}, fault.New(fault.TooLarge, "payload", "payload is over the secret size limit")
	}
	if contentType == kmsecret.TextPlain {
		return text(body, rules)
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "":
		return payload{contentType: contentType, plaintext: body}, nil
	case "base64":
		// StdEncoding skips CR and LF, so wrapped base64 decodes, as Python's b64decode does.
		b, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return payload{}, fault.New(fault.Invalid, "payload", "Invalid payload for payload_content_encoding")
		}
		if len(b) == 0 {
			// Only line breaks: nothing to store, the same answer as an empty body.
			return payload{}, fault.New(fault.Malformed, "", "No data supplied to process.")
		}
		return payload{contentType: contentType, plaintext: b}, nil
	}
	return payload{}, fault.New(fault.Invalid, "Content-Encoding", "Content-Encoding is not one of ['base64']")
}

func text(body []byte, rules ruleset) (payload, error) {
	if !utf8.Valid(body) {
		return payload{}, fault.New(fault.Invalid, "payload", "a text/plain payload must be UTF-8 text")
	}
	if rules.pem {
		if err := kmsecret.PEMBlocks(string(body)); err != nil {
			return payload{}, err
		}
	}
	return payload{contentType: kmsecret.TextPlain, plaintext: body}, nil
}
