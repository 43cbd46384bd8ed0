package keymanagertest

// Path is the path of secret id (with suffix, e.g. "/payload") in a layout; id "" is the
// collection. K5 paths name project.
func Path(upstream bool, project, id, suffix string) string {
	p := "/v1/" + project + "/secrets"
	if upstream {
		p = "/v1/secrets"
	}
	if id != "" {
		p += "/" + id
	}
	return p + suffix
}

// Layouts are both layouts, named for subtests.
var Layouts = []struct {
	Name     string
	Upstream bool
}{{"k5", false}, {"upstream", true}}
