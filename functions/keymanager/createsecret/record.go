package createsecret

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/api/keymanager/kmsecret"
	"keyport/shared/store"
)

// recordRef is the ref of a secret of tenant; its AAD is the sealed blob's associated data.
func recordRef(tenant, id string) store.Ref { return kmsecret.Ref(tenant, id) }

// record is the stored form of the secret: its metadata as Barbican's GET would show it
// (absent members stay absent, meaning null), without the payload, which the caller seals.
func (q *request) record(tenant, id string, now time.Time, l keymanager.Layout) store.Record {
	stamp := isoformat(now)
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
		attrs["expiration"] = isoformat(q.expires)
	}
	return store.Record{Ref: recordRef(tenant, id), Attrs: attrs, CreatedAt: now, ExpiresAt: q.expires}
}

// isoformat is how Barbican renders created, updated and expiration (see kmsecret.Isoformat).
func isoformat(t time.Time) string { return kmsecret.Isoformat(t) }

// tenantID is the {tenant_id} path segment. When the handler is reached without a ServeMux
// (a Lambda adapter may hand it the request directly, with a stage name before /v1), it is the
// segment between "/v1/" and the final "/secrets".
func tenantID(r *http.Request) string {
	if t := r.PathValue("tenant_id"); t != "" {
		return t
	}
	p, ok := strings.CutSuffix(r.URL.Path, "/secrets")
	if !ok {
		return ""
	}
	i := strings.LastIndex(p, "/v1/")
	if i < 0 || strings.Contains(p[i+len("/v1/"):], "/") {
		return ""
	}
	return p[i+len("/v1/"):]
}

// writeCreated sends Barbican's 201: Location and {"secret_ref": …}.
func writeCreated(w http.ResponseWriter, ref string) {
	b, _ := json.Marshal(struct {
		SecretRef string `json:"secret_ref"`
	}{ref}) // a struct of one string cannot fail to marshal
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("Location", ref)
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(b)
}
