package createsecret

import (
	"keyport/shared/api/alibaba/apigsecret"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// Field bounds. APIG documents only name's (64 letters, digits, underscores); the docs are
// silent on the rest, so these are ours (docs/wire/alibaba.md, "Where the vendor is silent"):
// well above any real value, so no genuine request is refused, and small enough that a record
// stays far below DynamoDB's 400 KB item limit.
const (
	maxDescription = 256 // characters: room for a sentence or two; any text is allowed
	maxSecretSrc   = 64  // an enum-like word ("KMS")
	maxKMSID       = 256 // kst-/key- ids are ~30 characters, KMS ARNs under 128
)

// request is the CreateSecret body. Unknown fields are ignored, as ROA services do. An empty
// body is an empty object (see alibaba.DecodeBody), which is what the SDK sends with no field
// set, so it fails as "name is required".
type request struct {
	Name         string     `json:"name"`
	Description  string     `json:"description"`
	KMSConfig    *kmsConfig `json:"kmsConfig"` // nil when absent or null
	GatewayType  string     `json:"gatewayType"`
	SecretSource string     `json:"secretSource"`
	SecretData   string     `json:"secretData"`
}

// kmsConfig is kept as given: keyport seals with its own key and never calls the client's KMS.
type kmsConfig struct {
	InstanceID string `json:"kmsInstanceId"`
	KeyID      string `json:"kmsKeyId"`
}

// Validate applies the rules in field order; the first failure is reported.
//
// Which fields a secret must have is decided in docs/wire/alibaba.md, "Required and defaulted
// fields": name and secretData (the name is the uniqueness key and how GetSecretValue addresses
// a secret; a secret without a value is of no use), gatewayType and both ids of kmsConfig are
// required; secretSource defaults to KMS (see attrs). GetSecret and ListSecrets then render all
// of them on every secret.
func (r request) Validate() error {
	return valid.First(
		valid.Required("name", r.Name),
		valid.WordOfLength("name", r.Name, 1, apigsecret.MaxName),
		valid.Length("description", r.Description, 0, maxDescription),
		valid.Required("gatewayType", r.GatewayType),
		valid.OneOf("gatewayType", r.GatewayType, apigsecret.GatewayTypes...),
		// Only KMS is documented, not the whole enum (docs/wire/alibaba.md, "Enumerations"), and
		// keyport acts on none, so any short printable word is kept rather than refusing a real one.
		bounded("secretSource", r.SecretSource, maxSecretSrc),
		r.KMSConfig.validate(),
		apigsecret.ValidValue(r.SecretData),
	)
}

// validate requires the object and both its ids, each a short printable word.
func (k *kmsConfig) validate() error {
	if k == nil {
		return fault.New(fault.Missing, "kmsConfig", "is required")
	}
	return valid.First(
		valid.Required("kmsConfig.kmsInstanceId", k.InstanceID),
		bounded("kmsConfig.kmsInstanceId", k.InstanceID, maxKMSID),
		valid.Required("kmsConfig.kmsKeyId", k.KeyID),
		bounded("kmsConfig.kmsKeyId", k.KeyID, maxKMSID),
	)
}

// bounded is a printable-ASCII value of at most max characters.
func bounded(field, value string, max int) error {
	return valid.First(valid.Length(field, value, 0, max), valid.Printable(field, value))
}
