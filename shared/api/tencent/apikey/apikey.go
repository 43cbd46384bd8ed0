// Package apikey is Tencent API Gateway's API key model, which CreateApiKey and the actions on
// a key after it share: a key's record and refs, its attributes and status values, how a record
// reads as Tencent's ApiKey, generated ids and secrets, the rules its parameters follow, and the
// reads and writes of one key every action makes (docs/wire/tencent.md, "API Gateway keys").
//
// It sits below the wire (package tencent): it knows records and rules, not signatures,
// routing or envelopes. The action packages plug it into tencent.Op.
package apikey

import (
	"encoding/json"
	"time"

	"keyport/shared/ids"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// Service is the name keyport stores and seals API keys under: the Ref service of their
// records and the service of their KMS encryption context.
const Service = "tencent-apigateway"

// DefaultKeyLimit is how many keys an account may hold when the deployment sets no limit.
const DefaultKeyLimit = 500

// Keys are listed newest first, in pages with a total, and filtered by their exact SecretName
// from an attribute index on it (store.DeclareAttrIndex).
var _ = store.DeclareAttrIndex(Service, "apikey", AttrSecretName)

// RecordRef is the ref of an API key, owned by its account.
func RecordRef(account, accessKeyID string) store.Ref {
	return store.Ref{Service: Service, Tenant: account, Kind: "apikey", ID: accessKeyID}
}

// IDClaim is the claim every API key holds on its AccessKeyId. It has no tenant: AccessKeyIds
// are unique across accounts, as Tencent reports a clash with any existing key.
func IDClaim(accessKeyID string) store.Ref {
	return store.Ref{Service: Service, Kind: "accesskeyid", ID: accessKeyID}
}

// CounterRef is the ref of an account's key count.
func CounterRef(account string) store.Ref {
	return store.Ref{Service: Service, Tenant: account, Kind: "counter", ID: "apikeys"}
}

// Scope is the seal scope of an account's keys.
func Scope(account string) seal.Scope { return seal.Scope{Service: Service, Tenant: account} }

// The record's attributes, as CreateApiKey writes them and the other actions read and change
// them. Times are TimeLayout strings; Tags is the JSON array of Tag.
const (
	AttrSecretName    = "SecretName"
	AttrAccessKeyType = "AccessKeyType"
	AttrStatus        = "Status"
	AttrCreatedTime   = "CreatedTime"
	AttrModifiedTime  = "ModifiedTime"
	AttrTags          = "Tags"
)

// Status values as stored: Tencent's Status 1 (enabled) and 0 (disabled), as strings.
const (
	StatusEnabled  = "1"
	StatusDisabled = "0"
)

// AccessKeyType values: a generated key pair, or one the caller chose.
const (
	TypeAuto   = "auto"
	TypeManual = "manual"
)

// TimeLayout is the ApiKey times' format: ISO 8601 UTC to the second.
const TimeLayout = "2006-01-02T15:04:05Z"

// APIKey is Tencent's ApiKey structure (docs/wire/tencent.md, "The ApiKey structure").
type APIKey struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	AccessKeyType   string `json:"AccessKeyType"`
	SecretName      string `json:"SecretName"`
	ModifiedTime    string `json:"ModifiedTime"`
	Status          int64  `json:"Status"`
	CreatedTime     string `json:"CreatedTime"`
	Tags            []Tag  `json:"Tags"`
}

// Tag is Tencent's Tag structure.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// FromRecord reads a stored key and its opened secret as Tencent's ApiKey.
func FromRecord(rec store.Record, secret string) APIKey {
	tags := []Tag{}
	_ = json.Unmarshal([]byte(rec.Attrs.String(AttrTags)), &tags) // written by json.Marshal; [] if absent
	status := int64(1)
	if rec.Attrs.String(AttrStatus) == StatusDisabled {
		status = 0
	}
	return APIKey{
		AccessKeyID: rec.ID, AccessKeySecret: secret, AccessKeyType: rec.Attrs.String(AttrAccessKeyType),
		SecretName: rec.Attrs.String(AttrSecretName), Status: status,
		CreatedTime: rec.Attrs.String(AttrCreatedTime), ModifiedTime: rec.Attrs.String(AttrModifiedTime), Tags: tags,
	}
}

// alphanumeric is the alphabet of generated keys: letters and digits, as in Tencent's example
// (AKID8my5MRr9i6VM98F3dZG9zV0KuBq5ID7pMG83), in ascending order as ids.TimeOrdered needs.
const alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewAccessKeyID returns "AKID", the time in 7 characters (62^7 milliseconds reach the year
// 2081) and 29 random ones (about 172 bits): 40 in all, like Tencent's. Time-ordered, so the
// records and id claims of concurrent creates land on the same few store pages.
func NewAccessKeyID(now time.Time) string { return ids.TimeOrdered("AKID", alphanumeric, 7, 29, now) }

// NewAccessKeySecret returns 40 random characters (about 238 bits), the secret of an auto key.
func NewAccessKeySecret() string { return ids.Random(alphanumeric, 40) }
