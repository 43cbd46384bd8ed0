package web

import (
	"strconv"
	"unicode/utf8"
)

// MaxLogField is the most bytes of a client-supplied value (path, method, user agent, an
// echoed code or cause) a request log line holds. A client can send a path or user agent of
// hundreds of kilobytes without authenticating; the log line must stay one bounded line.
const MaxLogField = 256

// Clip returns s cut to MaxLogField bytes at a character boundary, ending in a marker saying
// how many bytes were cut, so a reader knows the value is not whole.
func Clip(s string) string {
	if len(s) <= MaxLogField {
		return s
	}
	cut := MaxLogField
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…[" + strconv.Itoa(len(s)-cut) + " bytes cut]"
}
