package createapikey

import "crypto/rand"

// alphanumeric is the alphabet of generated keys: letters and digits, as in Tencent's example
// (AKID8my5MRr9i6VM98F3dZG9zV0KuBq5ID7pMG83).
const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newAccessKeyID returns "AKID" and 36 random characters (40 in all, like Tencent's).
func newAccessKeyID() string { return "AKID" + randomString(36) }

// newAccessKeySecret returns 40 random characters (about 238 bits).
func newAccessKeySecret() string { return randomString(40) }

// randomString draws n characters of alphanumeric from crypto/rand without bias: bytes at or
// above 248 (the largest multiple of 62 that fits in a byte) are discarded, so every
// character is equally likely.
func randomString(n int) string {
	const limit = 256 - 256%len(alphanumeric)
	out := make([]byte, 0, n)
	var buf [64]byte
	for len(out) < n {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails on supported platforms
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphanumeric[int(b)%len(alphanumeric)])
			}
		}
	}
	return string(out)
}
