package updatesecret

import (
	"encoding/base64"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/web"
)

// ruleset is what differs between the layouts. K5 documents no PUT; keyport applies K5's create
// rules to it (the 10000-byte limit, the PEM block for text), so a K5 secret obeys the same rules
// however its payload arrived. Upstream: Barbican's request and secret limits.
type ruleset struct {
	pem       bool
	maxBody   int64
	maxSecret int
}

var (
	k5Rules       = ruleset{pem: true, maxBody: 10000, maxSecret: 10000}
	upstreamRules = ruleset{maxBody: 25000, maxSecret: 20000}
)

func rulesOf(l keymanager.Layout) ruleset {
	if l.Upstream {
		return upstreamRules
	}
	return k5Rules
}

// payload is a decoded PUT body: the bytes to seal and the content type to record.
type payload struct {
	contentType string
	plaintext   []byte
}

// decode reads and checks the body of r.
func decode(r *http.Request, rules ruleset) (payload, error) {
	contentType, err := ContentType(r.Header.Get("Content-Type"))
	if err != nil {
		return payload{}, err
	}
	body, err := web.ReadBody(r, rules.maxBody)
	if err != nil {
		return payload{}, err
	}
	return parse(body, contentType, r.Header.Get("Content-Encoding"), rules)
}

// ContentType is the media type of a PUT's Content-Type, which must be text/plain or
// application/octet-stream (parameters such as charset are ignored, as webob's content_type
// ignores them). Anything else, or none (gophercloud sends none unless UpdateOpts.ContentType
// is set), is 415.
func ContentType(header string) (string, error) {
	media, _, err := mime.ParseMediaType(header)
	if err == nil && (media == kmsecret.TextPlain || media == kmsecret.OctetStream) {
		return media, nil
	}
	return "", fault.New(fault.UnsupportedType, "Content-Type", "must be application/octet-stream or text/plain")
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
