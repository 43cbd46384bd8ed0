package policy

import "context"

// ShowsAll reports whether a list with policies ps certainly shows every item whose resource
// starts with prefix ("" for every item; a Gcore region's secrets have "<project>/<region>/"):
// every non-nil policy has an allow statement naming ctx's action (ActionOf) on a pattern that
// matches prefix+"*" (so, "*" matching any run of characters, on every resource with that
// prefix) and that asks no fact of the item, and no deny statement naming the action on any resource. When it is false some item
// may be hidden, and the list asks Visible item by item (docs/policies.md, "Lists"); a list
// may then take the fast path of an unfiltered page only when this is true.
func ShowsAll(ctx context.Context, ps []*Policy, prefix string) bool {
	action := ActionOf(ctx)
	for _, p := range ps {
		if p == nil {
			continue
		}
		allowed := false
		for _, s := range p.Statements {
			if !matchAny(s.Actions, action) {
				continue
			}
			if s.Effect == Deny {
				return false
			}
			// An allow that asks facts of each item (a built-in role statement, When) does not
			// certainly show every item.
			allowed = allowed || (len(s.When) == 0 && matchAny(s.Resources, prefix+"*"))
		}
		if !allowed {
			return false
		}
	}
	return true
}
