// Package ids draws the random parts of generated ids and keys from crypto/rand.
package ids

import (
	"crypto/rand"
	"time"
)

// Random returns n characters of alphabet (at most 256 distinct bytes), each equally likely:
// bytes at or above the largest multiple of len(alphabet) that fits in a byte are discarded,
// so no character is favoured.
func Random(alphabet string, n int) string {
	return string(appendRandom(make([]byte, 0, n), alphabet, n))
}

// TimeOrdered returns prefix, then now in Unix milliseconds as timeWidth digits of alphabet, then
// n random characters of alphabet. alphabet must be in ascending byte order, so ids sort by the
// millisecond they were drawn in: the records of concurrent creates then share a few store pages
// instead of each dirtying a page of its own. The random part keeps ids unguessable.
func TimeOrdered(prefix, alphabet string, timeWidth, n int, now time.Time) string {
	out := make([]byte, len(prefix)+timeWidth, len(prefix)+timeWidth+n)
	copy(out, prefix)
	ms := uint64(max(now.UnixMilli(), 0))
	base := uint64(len(alphabet))
	for i := len(out) - 1; i >= len(prefix); i-- {
		out[i] = alphabet[ms%base]
		ms /= base
	}
	return string(appendRandom(out, alphabet, n))
}

func appendRandom(out []byte, alphabet string, n int) []byte {
	limit := 256 - 256%len(alphabet)
	want := len(out) + n
	var buf [64]byte
	for len(out) < want {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails on supported platforms
		for _, b := range buf {
			if int(b) < limit && len(out) < want {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return out
}
