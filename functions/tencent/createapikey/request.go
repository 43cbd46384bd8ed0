package createapikey

import (
	"keyport/shared/api/tencent/apikey"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// request is CreateApiKey's parameters (docs/wire/tencent.md, "CreateApiKey").
type request struct {
	SecretName      string       `json:"SecretName"`
	AccessKeyType   string       `json:"AccessKeyType"`
	AccessKeyID     string       `json:"AccessKeyId"`
	AccessKeySecret string       `json:"AccessKeySecret"`
	Tags            []apikey.Tag `json:"Tags"`
}

// Check applies the key's rules. A missing parameter is MissingParameter; every other breach
// is an invalid value, which the action answers as InvalidParameter.FormatError. AccessKeyType
// defaults to auto and Tags to none.
func (r *request) Check() error {
	if r.AccessKeyType == "" {
		r.AccessKeyType = apikey.TypeAuto
	}
	if r.Tags == nil {
		r.Tags = []apikey.Tag{} // rendered and stored as [], not null
	}
	return valid.First(
		apikey.CheckSecretName(r.SecretName),
		valid.OneOf("AccessKeyType", r.AccessKeyType, apikey.TypeAuto, apikey.TypeManual),
		r.checkKey(),
		apikey.CheckTags(r.Tags),
	)
}

// checkKey applies the manual key rules. With auto, a caller-chosen AccessKeyId or
// AccessKeySecret is refused rather than ignored: ignoring it would leave the caller
// believing its chosen secret is in force while a different one was issued.
func (r *request) checkKey() error {
	if r.AccessKeyType == apikey.TypeAuto {
		return valid.First(absent("AccessKeyId", r.AccessKeyID), absent("AccessKeySecret", r.AccessKeySecret))
	}
	return valid.First(apikey.CheckID(r.AccessKeyID), apikey.CheckSecret(r.AccessKeySecret))
}

// absent refuses a parameter that only manual keys may carry.
func absent(field, value string) error {
	if value != "" {
		return fault.New(fault.Invalid, field, "may be given only when AccessKeyType is manual")
	}
	return nil
}
