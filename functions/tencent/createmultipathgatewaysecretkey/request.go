package createmultipathgatewaysecretkey

import "keyport/shared/api/tencent/zonekey"

// request is CreateMultiPathGatewaySecretKey's parameters (docs/wire/tencent.md, "EdgeOne
// zone keys").
type request struct {
	ZoneID    string `json:"ZoneId"`
	SecretKey string `json:"SecretKey"`
}

// Check checks ZoneId (required, shaped like a zone id) and, when given, SecretKey (strict
// base64 of 32-48 bytes); an empty SecretKey is generated.
func (r *request) Check() error {
	if err := zonekey.CheckZoneID(r.ZoneID); err != nil || r.SecretKey == "" {
		return err
	}
	return zonekey.CheckSecretKey(r.SecretKey)
}
