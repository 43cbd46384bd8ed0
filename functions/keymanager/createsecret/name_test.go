package createsecret

import (
	"strings"
	"testing"
	"time"
)

// TestRefusesEmptyName covers K5's 1-255 character name: only an omitted or null name falls back
// to the resource id (TestCreate), while an empty one, or one that Barbican's stripping empties,
// is Barbican's 400 naming name, and nothing is written.
func TestRefusesEmptyName(t *testing.T) {
	for _, tt := range []refusal{
		{name: "name_empty", body: `{"name":""}`, field: "name", desc: "minLength 1"},
		{name: "name_blank", body: `{"name":"   ","algorithm":""}`, field: "name", desc: "minLength 1"},
	} {
		t.Run(tt.name, tt.check)
	}
}

// refusal is a body that must be refused with Barbican's 400.
type refusal struct {
	name, body string
	field      string // "" : no member to name, the description is the reason itself
	desc       string // a substring of the description
}

// check posts the body and checks the 400, the description, an empty store and the golden.
func (tt refusal) check(t *testing.T) {
	e := newEnv(t, func() time.Time { return fixedNow })
	rec := e.post(path, "", "", tt.body)
	if rec.Code != 400 {
		t.Fatalf("status: got %d, want 400 (body %s)", rec.Code, rec.Body)
	}
	title, desc := errorBody(t, rec.Body.Bytes())
	if title != "Bad Request" {
		t.Errorf("title: got %q, want Bad Request", title)
	}
	if tt.field != "" {
		want := "Invalid property: '" + tt.field + "'"
		if !strings.HasPrefix(desc, "Provided object does not match schema 'Secret': ") || !strings.HasSuffix(desc, want) {
			t.Errorf("description: got %q, want Barbican's InvalidObject text ending %q", desc, want)
		}
	}
	if !strings.Contains(desc, tt.desc) {
		t.Errorf("description: got %q, want it to mention %q", desc, tt.desc)
	}
	if n := e.count(t); n != 0 {
		t.Errorf("store holds %d records after a refused request, want 0", n)
	}
	golden(t, tt.name, rec.Body.Bytes())
}
