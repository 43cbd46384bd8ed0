package listsecrets

// like is a SQL LIKE pattern, as Barbican filters name, alg and mode with it: '%' matches any
// run of characters, '_' any one, everything else itself. Matching is case-sensitive: Barbican's
// case sensitivity depends on its database's collation, and an exact match is what a filter by
// name promises. Without wildcards it is an exact match.
type like []rune

func compileLike(s string) like { return like(s) }

// literal is what every name p matches begins with: p up to its first wildcard, "" for no
// pattern (nil) or one that begins with a wildcard.
func (p *like) literal() string {
	if p == nil {
		return ""
	}
	for i, c := range *p {
		if c == '%' || c == '_' {
			return string((*p)[:i])
		}
	}
	return string(*p)
}

// match reports whether s matches the whole pattern, by the classic two-pointer wildcard match
// (linear backtracking over the last '%'), so no pattern can take exponential time.
func (p like) match(s string) bool {
	r := []rune(s)
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(r) {
		switch {
		case pi < len(p) && (p[pi] == '_' || p[pi] != '%' && p[pi] == r[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '%':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi, mark = star+1, mark+1
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}
