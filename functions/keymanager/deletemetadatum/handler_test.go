package deletemetadatum_test

import (
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

func TestDeleteMetadatum(t *testing.T) {
	kmt.RunCases(t, []kmt.Case{
		{Name: "delete", Method: "DELETE", Suffix: "/metadata/owner", Status: 204},
		{Name: "absent key", Method: "DELETE", Suffix: "/metadata/team", Status: 404, Want: "Secret metadata not found."},
		{Name: "another project's secret", Method: "DELETE", Suffix: "/metadata/owner", Other: true, Status: 404, Want: "Secret not found."},
	})
}
