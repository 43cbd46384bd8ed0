package kmsecret

import (
	"strconv"

	"keyport/shared/store"
)

// Metadata is a secret as Barbican's GET secrets/{id} (Accept: application/json) and its list
// show it. Pointers render null where Barbican has NULL columns.
type Metadata struct {
	Algorithm    *string           `json:"algorithm"`
	BitLength    *int64            `json:"bit_length"`
	ContentTypes map[string]string `json:"content_types,omitempty"`
	Created      string            `json:"created"`
	// CreatorID is Barbican's Keystone user id of the creator: the user of the Keystone token
	// that created it. A static K5 token names a project, not a user: null then, rather than an
	// invented id (gophercloud reads null as "").
	CreatorID  *string `json:"creator_id"`
	Expiration *string `json:"expiration"`
	Mode       *string `json:"mode"`
	Name       *string `json:"name"`
	SecretRef  string  `json:"secret_ref"`
	SecretType string  `json:"secret_type"`
	Status     string  `json:"status"`
	Updated    string  `json:"updated"`
}

// MetadataOf renders rec, whose href is ref. content_types appears only when the secret has a
// payload, as Barbican shows it only when the stored metadata holds a content type.
func MetadataOf(rec store.Record, ref string) Metadata {
	a := rec.Attrs
	m := Metadata{
		Algorithm:  optional(a, "algorithm"),
		CreatorID:  optional(a, "creator_id"),
		BitLength:  BitLength(a),
		Created:    a.String("created"),
		Expiration: optional(a, "expiration"),
		Mode:       optional(a, "mode"),
		Name:       optional(a, "name"),
		SecretRef:  ref,
		SecretType: a.String("secret_type"),
		Status:     a.String("status"),
		Updated:    a.String("updated"),
	}
	if ct := a.String("payload_content_type"); rec.Sealed != nil && ct != "" {
		m.ContentTypes = map[string]string{"default": ct}
	}
	return m
}

// EntryMetadataOf renders the creation index entry of a secret (store.Query.Entries: the
// record without its sealed payload) as MetadataOf renders the record: a secret has a payload
// exactly when it has a payload_content_type, since the create refuses either without the
// other and the payload's update (a PUT of the payload) sets both.
func EntryMetadataOf(entry store.Record, ref string) Metadata {
	m := MetadataOf(entry, ref)
	if ct := entry.Attrs.String("payload_content_type"); ct != "" {
		m.ContentTypes = map[string]string{"default": ct}
	}
	return m
}

func optional(a store.Attrs, name string) *string {
	if s, ok := a[name].(string); ok {
		return &s
	}
	return nil
}

// BitLength reads bit_length, which the create stores as a decimal string (and a later writer
// may store as an integer).
func BitLength(a store.Attrs) *int64 {
	switch v := a["bit_length"].(type) {
	case int64:
		return &v
	case string:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return &n
		}
	}
	return nil
}
