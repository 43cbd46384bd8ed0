package createsecret

import (
	"encoding/base64"
	"slices"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// ruleset is what differs between K5's rules and upstream Barbican's validators. The request
// limit (413) is the layout's, applied by the skeleton as it reads the body.
type ruleset struct {
	k5        bool // K5's name rule, its PEM rule for text payloads, an unnamed secret named by its id
	maxSecret int  // the payload limit in bytes (413)
	// contentTypes are the payload content types accepted, in the order the message lists
	// them. The text types carry text; the binary ones base64.
	contentTypes []string
}

// K5 lists four payload content types; upstream Barbican also takes application/pkcs8.
var (
	k5ContentTypes       = []string{"text/plain", "text/plain;charset=utf-8", "text/plain; charset=utf-8", "application/octet-stream"}
	upstreamContentTypes = append(slices.Clip(k5ContentTypes), "application/pkcs8")
)

func rulesOf(l keymanager.Layout) ruleset {
	if l.Upstream {
		return ruleset{maxSecret: l.MaxSecret(), contentTypes: upstreamContentTypes}
	}
	return ruleset{k5: true, maxSecret: l.MaxSecret(), contentTypes: k5ContentTypes}
}

// validate applies NewSecretValidator's checks after the schema, in its order, with K5's own
// rules placed where they belong: the name charset after the name, the PEM block rule last.
// The messages are Barbican's, so clients that match on them keep working.
func (q *request) validate(now time.Time, rules ruleset) error {
	if q.name.set() && rules.k5 {
		// K5: 1-255 half-width alphanumerics and symbols. Only an omitted (or null) name is
		// "no name", which K5 replaces with the resource id; Barbican strips a name before
		// validating it, so a name of only spaces is as empty as "" and refused alike.
		if q.name.value == "" {
			return fault.New(fault.Invalid, "name", "value is too short (minLength 1)")
		}
		if err := valid.Printable("name", q.name.value); err != nil {
			return err
		}
	}
	if err := q.validateExpiration(now); err != nil {
		return err
	}
	if q.payload.present {
		return q.validatePayload(rules)
	}
	if q.contentType.present {
		return fault.New(fault.Missing, "payload", "payload must be provided when payload_content_type is specified")
	}
	return nil
}

// validateExpiration parses a non-blank expiration (no zone means UTC) and requires it to be
// after now. It is kept to microseconds, Barbican's (Python datetime's) precision.
func (q *request) validateExpiration(now time.Time) error {
	if !q.expiration.set() || q.expiration.value == "" {
		return nil
	}
	t, err := valid.Datetime("expiration", q.expiration.value)
	if err != nil {
		return fault.New(fault.Invalid, "expiration", "Invalid date for 'expiration'")
	}
	t = t.Truncate(time.Microsecond)
	if valid.Future("expiration", t, now) != nil {
		return fault.New(fault.Invalid, "expiration", "'expiration' is before current time")
	}
	q.expires = t
	return nil
}

// validatePayload is _validate_content_parameters, the non-empty check and the decode check,
// then K5's PEM rule for text payloads. It sets q.plaintext to the bytes to seal.
func (q *request) validatePayload(rules ruleset) error {
	if !q.contentType.set() {
		return fault.New(fault.Missing, "payload_content_type",
			"If 'payload' is supplied, 'payload_content_type' must also be supplied.")
	}
	if !slices.Contains(rules.contentTypes, q.contentType.value) {
		return fault.New(fault.Invalid, "payload_content_type", "payload_content_type is not one of "+pyList(rules.contentTypes))
	}
	isText := kmsecret.IsText(q.contentType.value)
	if len(q.payload.value) > rules.maxSecret {
		return fault.New(fault.TooLarge, "payload", "payload is over the secret size limit")
	}
	switch {
	case isText && q.encoding.present:
		// Barbican prints the allowed encodings of text/plain, which is None.
		return fault.New(fault.Invalid, "payload_content_encoding", "payload_content_encoding is not one of None")
	case !isText && !q.encoding.present:
		return fault.New(fault.Missing, "payload_content_encoding", "payload_content_encoding is not one of ['base64']")
	}
	if q.payload.value == "" {
		return fault.New(fault.Invalid, "payload", "If 'payload' specified, must be non empty")
	}
	if isText {
		if !rules.k5 {
			q.plaintext = []byte(q.payload.value)
			return nil
		}
		if err := kmsecret.PEMBlocks(q.payload.value); err != nil {
			return err
		}
		q.plaintext = []byte(q.payload.value)
		return nil
	}
	// StdEncoding (not Strict) skips CR and LF, so line-wrapped base64 decodes, as Python's
	// base64.b64decode accepts it for Barbican.
	b, err := base64.StdEncoding.DecodeString(q.payload.value)
	if err != nil {
		return fault.New(fault.Invalid, "payload", "Invalid payload for payload_content_encoding")
	}
	q.plaintext = b
	return nil
}
