package listtasks

import (
	"slices"
	"testing"

	"keyport/shared/api/gcore/gcoretask"
	"keyport/shared/fault"
)

// FuzzDecodeQuery: any query string decodes without panicking, is refused only with client
// faults, and what is accepted is within Gcore's bounds.
func FuzzDecodeQuery(f *testing.F) {
	for _, s := range []string{"", "limit=10&offset=5", "project_id=1&project_id=2&region_id=76", "state=FINISHED&state=ERROR",
		"order_by=desc&sorting=asc", "from_timestamp=2030-01-02T03%3A04%3A05Z", "to_timestamp=2030-01-02T03:04:05+01:00",
		"is_acknowledged=TRUE", "task_type=create_secret", "limit=0", "%zz", "state=%zz", "project_id=-1", "a;b&&=&="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := decode(raw)
		if err != nil {
			if !fault.IsClient(err) {
				t.Fatalf("refused %q with a server fault: %v", raw, err)
			}
			return
		}
		if q.limit < 1 || q.limit > maxLimit || q.offset < 0 {
			t.Fatalf("accepted %q with limit %d offset %d", raw, q.limit, q.offset)
		}
		for _, id := range append(q.projects, q.regions...) {
			if id <= 0 {
				t.Fatalf("accepted %q with id %d", raw, id)
			}
		}
		for _, s := range q.states {
			if !slices.Contains(gcoretask.States, s) {
				t.Fatalf("accepted %q with state %q", raw, s)
			}
		}
	})
}
