package createsecret

import (
	"strconv"
	"time"

	"keyport/shared/store"
)

// StatusActive is the status of every stored secret: the payload is stored with the secret,
// so it is usable at once (Barbican's ACTIVE).
const StatusActive = "ACTIVE"

// secretRecord is the record of one secret, without its sealed payload. Attrs hold only
// non-secret metadata; absent optional fields are absent keys, not empty strings. Times are
// RFC 3339 in UTC, so any later reader can render them in Gcore's forms.
func secretRecord(ref store.Ref, req request, now time.Time) store.Record {
	attrs := store.Attrs{
		"name":                 req.Name,
		"secret_type":          req.SecretType,
		"payload_content_type": req.PayloadContentType,
		"status":               StatusActive,
		"created":              now.Format(time.RFC3339Nano),
	}
	optional := map[string]string{"algorithm": req.Algorithm, "mode": req.Mode}
	if req.BitLength > 0 {
		optional["bit_length"] = strconv.FormatInt(req.BitLength, 10)
	}
	if !req.Expiration.IsZero() {
		optional["expiration"] = req.Expiration.Format(time.RFC3339Nano)
	}
	for k, v := range optional {
		if v != "" {
			attrs[k] = v
		}
	}
	return store.Record{
		Ref:       ref,
		Attrs:     attrs,
		CreatedAt: now,
		ExpiresAt: req.Expiration, // zero (never) when no expiration was given
	}
}
