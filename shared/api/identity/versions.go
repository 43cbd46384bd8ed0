package identity

// Version is one entry of a version document, as Keystone and Barbican write it.
type Version struct {
	ID         string      `json:"id"`
	Status     string      `json:"status"`
	Updated    string      `json:"updated,omitempty"`
	Links      []Link      `json:"links"`
	MediaTypes []MediaType `json:"media-types"`
}

// Link is a version's link; MediaType its media type.
type (
	Link struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	}
	MediaType struct {
		Base string `json:"base"`
		Type string `json:"type"`
	}
)

// KeyManagerV1 is Barbican's v1 entry at microversion 1.0: status "stable" and no
// min/max, so python-barbicanclient pins 1.0 and asks for nothing keyport lacks (1.1's
// consumers, 1.2's forced delete).
func KeyManagerV1(origin string) Version {
	return Version{ID: "v1", Status: "stable", Links: []Link{{"self", origin + "/v1/"}},
		MediaTypes: []MediaType{{"application/json", "application/vnd.openstack.key-manager-v1+json"}}}
}

// IdentityV3 is Keystone's v3 entry.
func IdentityV3(origin string) Version {
	return Version{ID: "v3.14", Status: "stable", Updated: "2020-04-07T00:00:00Z", Links: []Link{{"self", origin + "/v3/"}},
		MediaTypes: []MediaType{{"application/json", "application/vnd.openstack.identity-v3+json"}}}
}

// Versions is the root's multiple-choice document: {"versions": {"values": [...]}}, Barbican's
// and Keystone's shape, listing both APIs keyport serves there.
type Versions struct {
	Versions struct {
		Values []Version `json:"values"`
	} `json:"versions"`
}

// Single is a single-version document, {"version": {...}}.
type Single struct {
	Version Version `json:"version"`
}

// Root is the document GET / answers.
func Root(origin string) Versions {
	var v Versions
	v.Versions.Values = []Version{KeyManagerV1(origin), IdentityV3(origin)}
	return v
}
