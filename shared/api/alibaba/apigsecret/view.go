package apigsecret

import (
	"cmp"
	"time"

	"keyport/shared/store"
)

// View is a secret as GetSecret renders it (its "data"). Every field APIG documents on a secret
// is always present (docs/wire/alibaba.md, "Required and defaulted fields"); only description,
// which APIG's models do not have, is left out when the create had none. There is never a value
// in it: GetSecret does not return secretData.
type View struct {
	SecretID        string    `json:"secretId"`
	Name            string    `json:"name"`
	Description     string    `json:"description,omitempty"`
	SecretSource    string    `json:"secretSource"`
	KMSConfig       KMSConfig `json:"kmsConfig"`
	GatewayType     string    `json:"gatewayType"`
	CreateTimestamp int64     `json:"createTimestamp"`
	UpdateTimestamp int64     `json:"updateTimestamp"`
	Status          string    `json:"status"`
	ReferenceCount  int32     `json:"referenceCount"`
}

// KMSConfig is the client's KMS reference, kept as given (keyport seals with its own key).
type KMSConfig struct {
	InstanceID string `json:"kmsInstanceId"`
	KeyID      string `json:"kmsKeyId"`
}

// ViewOf renders a stored secret. Timestamps are integer milliseconds, which is what the SDK's
// int64 fields and Terraform's json.Number parsing need (a float or a string breaks them;
// docs/wire/alibaba.md, "Responses").
// referenceCount is 0: keyport has no gateways or plugins that could reference a secret. A
// secret stored before gatewayType and kmsConfig were required renders them empty, and its
// secretSource as the default.
func ViewOf(rec store.Record) View {
	a := rec.Attrs
	return View{
		SecretID: rec.ID, Name: a.String(AttrName), Description: a.String(AttrDescription),
		SecretSource: cmp.Or(a.String(AttrSecretSource), DefaultSecretSource), GatewayType: a.String(AttrGatewayType),
		KMSConfig:       KMSConfig{a.String(AttrKMSInstanceID), a.String(AttrKMSKeyID)},
		CreateTimestamp: rec.CreatedAt.UnixMilli(), UpdateTimestamp: UpdatedAt(rec).UnixMilli(),
		Status: a.String(AttrStatus),
	}
}

// ListItemOf renders a stored secret as ListSecrets does: GetSecret's fields without
// description, which APIG's list model does not have.
func ListItemOf(rec store.Record) View {
	v := ViewOf(rec)
	v.Description = ""
	return v
}

// UpdatedAt is when the secret's value last changed: its creation until the first update. (The
// store stamps a create with its own clock; the operations stamp creates and updates with the
// request's, so an unchanged secret shows equal create and update times.)
func UpdatedAt(rec store.Record) time.Time {
	if rec.Version <= 1 {
		return rec.CreatedAt
	}
	return rec.UpdatedAt
}
