package gcore

import (
	"mime"
	"net/http"
	"strconv"

	"keyport/shared/audit"
	"keyport/shared/fault"
)

// Scope is the project and region a Cloud path addresses.
type Scope struct {
	Project int64
	Region  int64
}

// Tenant is the project id as the store and the sealer's encryption context spell it.
func (s Scope) Tenant() string { return strconv.FormatInt(s.Project, 10) }

// errPathNotFound answers a path id that is not a positive integer. Gcore routes ids through an
// integer converter, so such a path names no resource: 404 NotFoundError rather than a 400, and
// invalid_fields would be wrong since the id is not a body field.
var errPathNotFound = fault.New(fault.NotFound, "", "Not found.")

// PathScope reads the project_id and region_id path values (set by a ServeMux pattern). Each
// must be a positive decimal integer that fits in int64; otherwise the fault is NotFound. The
// project becomes the request's audit account.
func PathScope(r *http.Request) (Scope, error) {
	project, ok1 := PositiveID(r.PathValue("project_id"))
	region, ok2 := PositiveID(r.PathValue("region_id"))
	if !ok1 || !ok2 {
		return Scope{}, errPathNotFound
	}
	s := Scope{Project: project, Region: region}
	audit.SetAccount(r.Context(), s.Tenant()) // a token reaches several projects: the path says which
	return s, nil
}

// PositiveID parses s as ASCII decimal digits (no sign, no spaces) into an int64 above zero.
// Leading zeros are accepted, as an integer path converter accepts them; callers re-format the
// value, so "01" and "1" address the same project.
func PositiveID(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// RequireJSON accepts a request whose Content-Type is application/json (parameters such as
// charset ignored) or absent; anything else is a fault.UnsupportedType. The SDKs always send
// application/json; a form-encoded body (curl --data without -H) is refused, not guessed at.
func RequireJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	media, _, err := mime.ParseMediaType(ct)
	if err != nil || media != "application/json" {
		return fault.New(fault.UnsupportedType, "", "Unsupported media type in request. Send Content-Type: application/json.")
	}
	return nil
}
