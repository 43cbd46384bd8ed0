package createapikey

import (
	"time"

	"keyport/shared/ids"
)

// alphanumeric is the alphabet of generated keys: letters and digits, as in Tencent's example
// (AKID8my5MRr9i6VM98F3dZG9zV0KuBq5ID7pMG83), in ascending order as ids.TimeOrdered needs.
const alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newAccessKeyID returns "AKID", the time in 7 characters (62^7 milliseconds reach the year
// 2081) and 29 random ones (about 172 bits): 40 in all, like Tencent's. Time-ordered, so the
// records and id claims of concurrent creates land on the same few store pages.
func newAccessKeyID(now time.Time) string { return ids.TimeOrdered("AKID", alphanumeric, 7, 29, now) }

// newAccessKeySecret returns 40 random characters (about 238 bits).
func newAccessKeySecret() string { return ids.Random(alphanumeric, 40) }
