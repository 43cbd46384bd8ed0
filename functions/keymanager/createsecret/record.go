package createsecret

import (
	"strconv"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/store"
)

// record is the stored form of the secret: its metadata as Barbican's GET would show it
// (absent members stay absent, meaning null), without the payload, which the caller seals.
func (q *request) record(tenant, id string, now time.Time, l keymanager.Layout) store.Record {
	stamp := kmsecret.Isoformat(now)
	attrs := store.Attrs{
		"secret_type": q.secretType.value,
		"status":      "ACTIVE",
		"created":     stamp,
		"updated":     stamp,
	}
	if !l.Upstream {
		attrs["name"] = id // K5: an unnamed secret is named by its resource id
	}
	if q.name.set() && (q.name.value != "" || l.Upstream) {
		attrs["name"] = q.name.value
	}
	for k, o := range map[string]optional{"algorithm": q.algorithm, "mode": q.mode,
		"payload_content_type": q.contentType, "payload_content_encoding": q.encoding} {
		if o.set() {
			attrs[k] = o.value
		}
	}
	if q.bitLength != 0 {
		attrs["bit_length"] = strconv.Itoa(q.bitLength)
	}
	if !q.expires.IsZero() {
		attrs["expiration"] = kmsecret.Isoformat(q.expires)
	}
	return store.Record{Ref: kmsecret.Ref(tenant, id), Attrs: attrs, CreatedAt: now, ExpiresAt: q.expires}
}
