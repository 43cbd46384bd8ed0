package store

// Need is a set of the store calls an operation makes. Deployments turn it into exactly the
// backend permissions those calls require (see dynamostore.IAMActions), so an operation that
// only reads is never granted a write.
type Need uint8

// The calls, one bit each. NeedPut, NeedUpdate, NeedDelete and NeedCount are the kinds of
// Action an operation's transactions hold.
const (
	NeedGet Need = 1 << iota
	NeedList
	NeedPut
	NeedUpdate
	NeedDelete
	NeedCount
)

// Has reports whether n includes every call in m.
func (n Need) Has(m Need) bool { return n&m == m }
