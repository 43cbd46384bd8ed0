package updatemetadatum_test

import (
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

func TestUpdateMetadatum(t *testing.T) {
	kmt.RunCases(t, []kmt.Case{
		{Name: "update", Method: "PUT", Suffix: "/metadata/owner", Body: `{"key":"owner","value":"b"}`, Status: 200, Want: `{"key":"owner","value":"b"}`},
		{Name: "absent key", Method: "PUT", Suffix: "/metadata/team", Body: `{"key":"team","value":"b"}`, Status: 404, Want: "Secret metadata not found."},
		{Name: "body names another key", Method: "PUT", Suffix: "/metadata/owner", Body: `{"key":"team","value":"b"}`, Status: 409, Want: "does not match"},
		{Name: "extra member", Method: "PUT", Suffix: "/metadata/owner", Body: `{"key":"owner","value":"b","x":1}`, Status: 400, Want: "Additional properties"},
		{Name: "another project's secret", Method: "PUT", Suffix: "/metadata/owner", Body: `{"key":"owner","value":"b"}`, Other: true, Status: 404, Want: "Secret not found."},
	})
}
