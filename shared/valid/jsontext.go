package valid

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"keyport/shared/fault"
)

// JSONText refuses a JSON body whose text is not Unicode: a byte sequence that is not valid
// UTF-8, or a \u escape of a UTF-16 surrogate that is not half of a high-low pair. It must run
// before the body is decoded, because encoding/json turns both into U+FFFD without a word, and
// keyport would then store (and seal) text other than what the client sent.
//
// The fault is Invalid and names the member whose value holds the bad text as a dotted path
// of member names and array indices ("kmsConfig.kmsKeyId", "Tags.0.Value"), the spelling the
// operations already use for nested fields. Bad text in a member name is reported against the
// object holding it (no field at the top level); bad bytes outside any string name no field.
// Without a field the reason gives the byte offset instead. It never quotes the bad text.
//
// JSONText checks encoding only: a body that is not JSON passes if its text is valid, and the
// decoder refuses it next.
func JSONText(body []byte) error {
	e := scanText(body)
	if e == nil {
		return nil
	}
	reason := textReasons[[2]bool{e.inKey, e.surrogate}]
	if e.path == "" {
		return fault.Newf(fault.Invalid, "", "The request body %s (byte offset %d).", reason, e.offset)
	}
	return fault.New(fault.Invalid, clipPath(e.path), reason)
}

// textReasons words a textError by {inKey, surrogate}.
var textReasons = map[[2]bool]string{
	{false, false}: "must be valid UTF-8",
	{false, true}:  "must not hold an unpaired UTF-16 surrogate escape",
	{true, false}:  "must have member names that are valid UTF-8",
	{true, true}:   "must not have a member name holding an unpaired UTF-16 surrogate escape",
}

// textError is where scanText found text that is not Unicode.
type textError struct {
	offset    int    // of the first byte of the bad sequence, or of the escape's backslash
	path      string // member path of the string holding it (for inKey, of its object)
	inKey     bool   // the bad text is in a member name
	surrogate bool   // an unpaired surrogate escape, rather than bytes that are not UTF-8
}

// frame is one open object or array on the way to the current position.
type frame struct {
	object  bool
	wantKey bool // object: the next string is a member name
	hasKey  bool // object: key holds the current member's name
	key     [2]int
	index   int // array: the current element
}

// maxFrames bounds the nesting scanText tracks, so a body of brackets cannot make it allocate
// in proportion. encoding/json refuses deeper nesting (10000) anyway; past the bound the scan
// still checks every byte, and only the reported path is cut short.
const maxFrames = 10000

// scanText walks body once, tracking just enough JSON structure (strings, escapes, object
// members and array elements) to say where bad text is. Malformed JSON does not stop it.
func scanText(body []byte) *textError {
	var stack []frame
	deeper := 0 // open containers past maxFrames
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			end, bad := scanString(body, i+1)
			top := len(stack) - 1
			inKey := top >= 0 && deeper == 0 && stack[top].object && stack[top].wantKey
			if bad != nil {
				bad.inKey = inKey
				if inKey {
					bad.path = pathOf(body, stack[:top])
				} else if deeper == 0 {
					bad.path = pathOf(body, stack)
				}
				return bad
			}
			if inKey {
				stack[top].key = [2]int{i + 1, end - 1}
				stack[top].hasKey, stack[top].wantKey = true, false
			}
			i = end
			continue
		case c == '{' || c == '[':
			if len(stack) < maxFrames {
				stack = append(stack, frame{object: c == '{', wantKey: c == '{'})
			} else {
				deeper++
			}
		case c == '}' || c == ']':
			if deeper > 0 {
				deeper--
			} else if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case c == ',' && deeper == 0 && len(stack) > 0:
			if top := &stack[len(stack)-1]; top.object {
				top.wantKey, top.hasKey = true, false
			} else {
				top.index++
			}
		case c >= utf8.RuneSelf:
			if r, n := utf8.DecodeRune(body[i:]); r == utf8.RuneError && n == 1 {
				return &textError{offset: i}
			}
		}
		i++
	}
	return nil
}

// scanString checks a string's contents from i (just past its opening quote) and returns the
// index just past its closing quote (or len(body) if it has none) or the first bad text in it.
func scanString(body []byte, i int) (end int, bad *textError) {
	for i < len(body) {
		c := body[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			n, ok := escape(body, i)
			if !ok {
				return i, &textError{offset: i, surrogate: true}
			}
			i += n
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n == 1 {
				return i, &textError{offset: i}
			}
			i += n
		}
	}
	return i, nil
}

// escape measures the escape at body[i] (a backslash). It returns how many bytes to skip and
// false for an unpaired surrogate. A high surrogate counts as paired only when the very next
// escape is a low one, which is how JSON spells a character outside the Basic Multilingual
// Plane. An escape that is not JSON at all skips only the backslash: the decoder refuses it,
// and any non-ASCII byte after it still gets its UTF-8 check.
func escape(body []byte, i int) (int, bool) {
	if i+1 >= len(body) || body[i+1] >= utf8.RuneSelf {
		return 1, true
	}
	if body[i+1] != 'u' {
		return 2, true
	}
	r, ok := hex4(body, i+2)
	switch {
	case !ok:
		return 2, true
	case r < 0xd800 || r > 0xdfff:
		return 6, true
	case r >= 0xdc00: // a low surrogate with no high one before it
		return 0, false
	}
	if i+7 < len(body) && body[i+6] == '\\' && body[i+7] == 'u' {
		if lo, ok := hex4(body, i+8); ok && lo >= 0xdc00 && lo <= 0xdfff {
			return 12, true
		}
	}
	return 0, false
}

// hex4 reads the four hex digits of a \u escape at body[i:].
func hex4(body []byte, i int) (rune, bool) {
	if i+4 > len(body) {
		return 0, false
	}
	var r rune
	for _, c := range body[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// pathOf names the current member of each frame in stack, joined with dots. A member name has
// already passed scanString, so decoding it cannot rewrite it.
func pathOf(body []byte, stack []frame) string {
	var b strings.Builder
	for i, f := range stack {
		var part string
		switch {
		case !f.object:
			part = strconv.Itoa(f.index)
		case f.hasKey:
			part = memberName(body[f.key[0]:f.key[1]])
		default: // malformed: a value with no name
			return b.String()
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
	}
	return b.String()
}

// memberName decodes a member name's raw contents (escapes included).
func memberName(raw []byte) string {
	if !strings.ContainsRune(string(raw), '\\') {
		return string(raw)
	}
	var s string
	if json.Unmarshal([]byte(`"`+string(raw)+`"`), &s) != nil {
		return string(raw)
	}
	return s
}

// clipPath keeps a field path short enough to quote: member names are the client's to choose.
func clipPath(p string) string {
	const max = 64
	if utf8.RuneCountInString(p) > max {
		return fmt.Sprintf("%.*s…", max, p)
	}
	return p
}
