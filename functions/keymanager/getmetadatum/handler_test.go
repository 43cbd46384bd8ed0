package getmetadatum_test

import (
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

func TestGetMetadatum(t *testing.T) {
	kmt.RunCases(t, []kmt.Case{
		{Name: "key", Method: "GET", Suffix: "/metadata/owner", Status: 200, Want: `{"key":"owner","value":"a"}`},
		{Name: "key in another case", Method: "GET", Suffix: "/metadata/OWNER", Status: 200, Want: `"value":"a"`},
		{Name: "absent key", Method: "GET", Suffix: "/metadata/team", Status: 404, Want: "Secret metadata not found."},
		{Name: "another project's secret", Method: "GET", Suffix: "/metadata/owner", Other: true, Status: 404, Want: "Secret not found."},
	})
}
