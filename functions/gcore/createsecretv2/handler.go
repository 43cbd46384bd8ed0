// Package createsecretv2 serves Gcore Cloud's secrets v2 create
// (POST /cloud/v2/secrets/{project_id}/{region_id}), the call Gcore's Terraform provider
// (gcore_secret) and GC-go's UploadTlsCertificate make: a certificate secret from a PEM
// certificate, its chain and its private key. It checks that the three parse and that the key
// is the certificate's, seals them together and stores a secret that the v1 get, list and
// delete serve like any other (secret_type certificate), with a finished create_secret task;
// it answers {"tasks":["<task id>"]} as the v1 create does. See docs/wire/gcore.md,
// "Secrets v2".
package createsecretv2

import (
	"net/http"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/operation"
	"keyport/shared/store"
)

// What a v2 secret is, as the v1 reads render it: a certificate whose payload is PEM text,
// which Barbican reports as text/plain (docs/wire/gcore.md, "Secrets v2").
const (
	secretType  = "certificate"
	contentType = "text/plain"
)

// Row declares the operation. Its example is a throwaway P-256 certificate, its CA and key,
// made for the event and used nowhere else.
var Row = operation.Row{
	Name:     "gcore.CreateSecretV2",
	Function: "gcore-createsecretv2",
	API:      "Gcore",
	Dialect:  operation.Gcore,
	Service:  gcore.Service,
	Route:    "POST /cloud/v2/secrets/{project_id}/{region_id}",
	Store:    store.NeedPut,
	Seals:    true,
	New:      newHandler,
	Example: &operation.Example{
		Path: "/cloud/v2/secrets/1/76",
		Header: map[string]string{
			"accept":        "application/json",
			"authorization": "APIKey keyport-local-dev",
			"content-type":  "application/json",
			"user-agent":    "Gcore/Go 0.1.0",
		},
		Body: `{"name":"keyport-event certificate","payload":{"certificate":"-----BEGIN CERTIFICATE-----\nMIIBmDCCAT6gAwIBAgIBAjAKBggqhkjOPQQDAjAdMRswGQYDVQQDExJrZXlwb3J0\nIGV4YW1wbGUgQ0EwIBcNMjYwMTAxMDAwMDAwWhgPMjEyNjAxMDEwMDAwMDBaMCAx\nHjAcBgNVBAMTFWtleXBvcnQtZXZlbnQuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqG\nSM49AwEHA0IABKBftkaN5YIHzmrVUeDZ2KVtV8zCepQd+m9r+sy8ESSD4enjWlHu\nZAr27qPj4XzVmWT6Y+H8HAMc+gLIKpmKv9mjajBoMA4GA1UdDwEB/wQEAwIHgDAT\nBgNVHSUEDDAKBggrBgEFBQcDATAfBgNVHSMEGDAWgBQ6kNYAqbi94QQSM6dXSgWa\ndaE9LzAgBgNVHREEGTAXghVrZXlwb3J0LWV2ZW50LmV4YW1wbGUwCgYIKoZIzj0E\nAwIDSAAwRQIgQJN/eTfL2ufjoxQYwWkpVaG/Huj1D9WK4+UbnV5EBrYCIQDyw076\nqYt7xLFGwrxM1uAUT2N+XBnt+GhtfSrDaVkuUw==\n-----END CERTIFICATE-----\n","certificate_chain":"-----BEGIN CERTIFICATE-----\nMIIBbTCCAROgAwIBAgIBATAKBggqhkjOPQQDAjAdMRswGQYDVQQDExJrZXlwb3J0\nIGV4YW1wbGUgQ0EwIBcNMjYwMTAxMDAwMDAwWhgPMjEyNjAxMDEwMDAwMDBaMB0x\nGzAZBgNVBAMTEmtleXBvcnQgZXhhbXBsZSBDQTBZMBMGByqGSM49AgEGCCqGSM49\nAwEHA0IABD08sqAGyRckjK34jM0KA7TGX0h4kL8tvtSII1fU/tX87iSoWozJfyvG\ntdMgTqx/JtYiUqsmaxZ8G3P8QS0+FbWjQjBAMA4GA1UdDwEB/wQEAwICBDAPBgNV\nHRMBAf8EBTADAQH/MB0GA1UdDgQWBBQ6kNYAqbi94QQSM6dXSgWadaE9LzAKBggq\nhkjOPQQDAgNIADBFAiAGj20xwTiaq2/7Nyg4QWcyQVC9V/QQndCsJn+9MRm3gAIh\nANqwe2z3rBcRTk6uLIO3Jm3LNA87jCup0x/EbMXYy2Pz\n-----END CERTIFICATE-----\n","private_key":"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgUdrq8X8d7WkKU8wb\nGgfqa0Xv7JIjhj2gdMNvPwwPzmmhRANCAASgX7ZGjeWCB85q1VHg2dilbVfMwnqU\nHfpva/rMvBEkg+Hp41pR7mQK9u6j4+F81Zlk+mPh/BwDHPoCyCqZir/Z\n-----END PRIVATE KEY-----\n"}}`,
	},
}

// response is Gcore's answer to an asynchronous create.
type response struct {
	Tasks []string `json:"tasks"`
}

func newHandler(d operation.Deps) http.Handler {
	return gcore.Handle(d.Creds, gcore.Op{Scoped: true, JSON: true, Act: func(r gcore.Request) (gcore.Reply, error) {
		now := d.Now().UTC()
		req, err := decode(r.Body, now)
		if err != nil {
			return gcore.Reply{}, err
		}
		defer clear(req.bundle)
		task, err := gcoretask.CreateSecret(r.Context(), d.Store, d.Sealer, r.Scope, now, func(id string) store.Record {
			return gcoresecret.Secret{
				ID:                 id,
				Name:               req.Name,
				SecretType:         secretType,
				PayloadContentType: contentType,
				Created:            now,
				Expiration:         req.Expiration,
			}.Record(r.Scope)
		}, req.bundle)
		if err != nil {
			return gcore.Reply{}, err
		}
		return gcore.Reply{Body: response{Tasks: []string{task.ID}}, Resource: task.ID}, nil
	}})
}
