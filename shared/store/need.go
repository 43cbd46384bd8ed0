package store

// Need is a set of the store calls an operation makes. Deployments turn it into exactly the
// backend permissions those calls require (see dynamostore.IAMActions), so an operation that
// only reads is never granted a write.
type Need uint8

// The calls, one bit each. The last five are the kinds of Action an operation's transactions
// hold: NeedPut is a Put without IfVersion (a create), NeedReplace a Put at a version.
const (
	NeedGet Need = 1 << iota
	NeedList
	NeedPut
	NeedReplace
	NeedUpdate
	NeedDelete
	NeedCount
)

// Has reports whether n includes every call in m.
func (n Need) Has(m Need) bool { return n&m == m }

var needNames = [...]string{"Get", "List", "Put", "Replace", "Update", "Delete", "Count"}

// String names the calls in n, joined by "|", for errors and logs.
func (n Need) String() string {
	var out string
	for i, name := range needNames {
		if n&(1<<i) != 0 {
			if out != "" {
				out += "|"
			}
			out += name
		}
	}
	if out == "" {
		return "none"
	}
	return out
}
