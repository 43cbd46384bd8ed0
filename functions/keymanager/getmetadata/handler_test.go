package getmetadata_test

import (
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

func TestGetMetadata(t *testing.T) {
	kmt.RunCases(t, []kmt.Case{
		{Name: "metadata", Method: "GET", Suffix: "/metadata", Status: 200, Want: `{"metadata":{"owner":"a"}}`},
		{Name: "another project's secret", Method: "GET", Suffix: "/metadata", Other: true, Status: 404, Want: "Secret not found."},
		{Name: "another method", Method: "PATCH", Suffix: "/metadata", Status: 405, Want: "Method Not Allowed"},
		{Name: "unknown token", Method: "GET", Suffix: "/metadata", Header: []string{"X-Auth-Token", "nope"}, Status: 401, Want: "Unauthorized"},
	})
}
