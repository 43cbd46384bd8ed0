package putmetadata_test

import (
	"strings"
	"testing"

	kmt "keyport/functions/keymanager/keymanagertest"
)

func TestReplaceMetadata(t *testing.T) {
	keys := make([]string, 101) // one over keymanager.MaxMetadata
	for i := range keys {
		keys[i] = `"k` + strings.Repeat("x", i) + `":"v"`
	}
	many := `{"metadata":{` + strings.Join(keys, ",") + `}}`
	kmt.RunCases(t, []kmt.Case{
		{Name: "replace", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":{"Team":"x"}}`, Status: 201, Want: `/metadata"}`},
		{Name: "empty", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":{}}`, Status: 201, Want: "metadata_ref"},
		{Name: "not an object", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":[]}`, Status: 400, Want: "not of type 'object'"},
		{Name: "key not URL safe", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":{"a.b":"x"}}`, Status: 400, Want: "Invalid Key. Key must be URL safe."},
		{Name: "value of 256", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":{"a":"` + strings.Repeat("x", 256) + `"}}`, Status: 400, Want: "maxLength 255"},
		{Name: "101 keys", Method: "PUT", Suffix: "/metadata", Body: many, Status: 403, Want: "quota"},
		{Name: "not JSON", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":`, Status: 400, Want: "Malformed JSON"},
		{Name: "text/plain", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":{}}`, Header: []string{"Content-Type", "text/plain"}, Status: 415, Want: "application/json"},
		{Name: "another project's secret", Method: "PUT", Suffix: "/metadata", Body: `{"metadata":{}}`, Other: true, Status: 404, Want: "Secret not found."},
	})
}
