package listsecrets

import (
	"testing"

	"keyport/shared/fault"
)

// FuzzDecodeQuery: any query string decodes without panicking, is refused only with client
// faults, and what is accepted is within Gcore's bounds.
func FuzzDecodeQuery(f *testing.F) {
	for _, s := range []string{"", "limit=10", "limit=1000&offset=5", "limit=0", "offset=-1", "limit=1&limit=2",
		"%zz=1", "offset=%zz", "limit=%2B5", "a;b=c&&limit=3", "offset=99999999999999999999", "limit=00"} {
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
			t.Fatalf("accepted %q as %+v", raw, q)
		}
	})
}
