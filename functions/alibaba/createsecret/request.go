package createsecret

import (
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/valid"
)

// Field bounds. APIG documents only name's (64 letters, digits, underscores); the docs are
// silent on the rest, so these are ours: well above any real value, so no genuine request is
// refused, and small enough that a record stays far below DynamoDB's 400 KB item limit.
const (
	maxDescription = 256 // characters: room for a sentence or two; any text is allowed
	maxSecretSrc   = 64  // an enum-like word ("KMS")
	maxKMSID       = 256 // kst-/key- ids are ~30 characters, KMS ARNs under 128
)

// request is the CreateSecret body. Unknown fields are ignored, as ROA services do. An empty
// body is an empty object (see alibaba.DecodeBody), which is what the SDK sends with no field
// set, so it fails as "name is required".
type request struct {
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	KMSConfig    kmsConfig `json:"kmsConfig"`
	GatewayType  string    `json:"gatewayType"`
	SecretSource string    `json:"secretSource"`
	SecretData   string    `json:"secretData"`
}

// kmsConfig is kept as given: keyport seals with its own key and never calls the client's KMS.
type kmsConfig struct {
	InstanceID string `json:"kmsInstanceId"`
	KeyID      string `json:"kmsKeyId"`
}

// Validate applies the rules in field order; the first failure is reported.
//
// Required fields: the API doc marks none, Terraform marks all but description. keyport
// requires name (the uniqueness key, and how GetSecretValue addresses a secret) and secretData
// (a secret without a value is useless, and the value is what keyport exists to keep).
// gatewayType, kmsConfig and secretSource stay optional, as the API doc has them: keyport
// stores them and acts on none, so requiring them would refuse calls the vendor documents.
func (r request) Validate() error {
	return valid.First(
		valid.Required("name", r.Name),
		valid.WordOfLength("name", r.Name, 1, apigsecret.MaxName),
		valid.Length("description", r.Description, 0, maxDescription),
		optional(r.GatewayType, func() error { return valid.OneOf("gatewayType", r.GatewayType, "API", "AI") }),
		// secretSource: only KMS is documented but the full enum is NOT FOUND (WIRE §2.3), and
		// keyport ignores it, so any short printable word is kept rather than refusing a real one.
		bounded("secretSource", r.SecretSource, maxSecretSrc),
		bounded("kmsConfig.kmsInstanceId", r.KMSConfig.InstanceID, maxKMSID),
		bounded("kmsConfig.kmsKeyId", r.KMSConfig.KeyID, maxKMSID),
		apigsecret.ValidValue(r.SecretData),
	)
}

// optional runs rule only when value is set.
func optional(value string, rule func() error) error {
	if value == "" {
		return nil
	}
	return rule()
}

// bounded is an optional printable-ASCII value of at most max characters.
func bounded(field, value string, max int) error {
	return valid.First(valid.Length(field, value, 0, max), valid.Printable(field, value))
}
