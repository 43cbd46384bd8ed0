package createsecret

import (
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/store"
)

// secretRecord is the record of secret id in scope s, without its sealed payload: the request's
// metadata in the form every Gcore read renders (gcore.Secret).
func secretRecord(s gcore.Scope, id string, req request, now time.Time) store.Record {
	return gcore.Secret{
		ID:                 id,
		Name:               req.Name,
		SecretType:         req.SecretType,
		PayloadContentType: req.PayloadContentType,
		Algorithm:          req.Algorithm,
		Mode:               req.Mode,
		BitLength:          req.BitLength,
		Created:            now,
		Expiration:         req.Expiration,
	}.Record(s)
}
