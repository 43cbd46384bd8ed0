package createmetadatum_test

import (
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

func TestCreateMetadatum(t *testing.T) {
	kmt.RunCases(t, []kmt.Case{
		{Name: "add", Method: "POST", Suffix: "/metadata", Body: `{"key":"Team","value":"x"}`, Status: 201, Want: `{"key":"team","value":"x"}`},
		{Name: "existing key", Method: "POST", Suffix: "/metadata", Body: `{"key":"OWNER","value":"x"}`, Status: 409, Want: "Conflict. Key in request is already in the secret metadata"},
		{Name: "missing key", Method: "POST", Suffix: "/metadata", Body: `{"value":"x"}`, Status: 400, Want: "'key' is a required property"},
		{Name: "null value", Method: "POST", Suffix: "/metadata", Body: `{"key":"k","value":null}`, Status: 400, Want: "not of type 'string'"},
		{Name: "another project's secret", Method: "POST", Suffix: "/metadata", Body: `{"key":"k","value":"v"}`, Other: true, Status: 404, Want: "Secret not found."},
	})
}
