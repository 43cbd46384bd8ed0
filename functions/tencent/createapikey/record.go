package createapikey

import (
	"encoding/json"

	"keyport/shared/store"
)

// The record's attributes, as CreateApiKey writes them and the other API key actions read and
// change them. Times are TimeLayout strings; Tags is the JSON array of Tag.
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

// AccessKeyType values, exported for the actions that treat auto and manual keys apart.
const (
	TypeAuto   = typeAuto
	TypeManual = typeManual
)

// TimeLayout is the ApiKey times' format: ISO 8601 UTC to the second.
const TimeLayout = timeLayout

// NewAccessKeySecret returns a fresh generated secret, as CreateApiKey issues for auto keys.
func NewAccessKeySecret() string { return newAccessKeySecret() }

// KeyFromRecord renders a stored key and its opened secret as Tencent's ApiKey.
func KeyFromRecord(rec store.Record, secret string) APIKey {
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
