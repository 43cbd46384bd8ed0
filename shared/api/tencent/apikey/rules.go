package apikey

import (
	"strconv"
	"strings"
	"unicode"

	"keyport/shared/fault"
	"keyport/shared/valid"
)

// Bounds keyport chooses where Tencent documents none (docs/wire/tencent.md, "Where the vendor
// is silent"): SecretName at most 60 characters, and at most 50 tags whose keys are 1-127
// characters and unique and whose values are at most 255, to keep a record small.
const (
	SecretNameMax = 60
	MaxTags       = 50
	TagKeyMax     = 127
	TagValueMax   = 255
)

// CheckSecretName checks a key's name: required (MissingParameter when empty), at most
// SecretNameMax characters, and visible. Visible is one rule for blank and invisible characters
// (docs/wire/tencent.md, "Where the vendor is silent"): no control (Cc), format (Cf: U+200B,
// U+FEFF, the bidirectional controls, ...), line separator (Zl) or paragraph separator (Zp)
// character anywhere, and not only white space (Unicode's White_Space, as unicode.IsSpace has
// it: U+0020, U+00A0, U+3000, ...). White space between or around visible characters is kept
// as sent. All are invalid values naming SecretName.
func CheckSecretName(name string) error {
	return valid.First(
		valid.Required("SecretName", name),
		valid.Length("SecretName", name, 1, SecretNameMax),
		noInvisible("SecretName", name),
		notBlank("SecretName", name),
	)
}

// noInvisible refuses the characters a name cannot show: control, format, and line and
// paragraph separators. They break log lines, hide text (a right-to-left override can make a
// name read as another) or make two names that look the same differ.
func noInvisible(field, value string) error {
	for _, c := range value {
		if unicode.In(c, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			return fault.New(fault.Invalid, field, "must not contain invisible characters (control, format, or line and paragraph separators)")
		}
	}
	return nil
}

// notBlank refuses a value that is only white space.
func notBlank(field, value string) error {
	if strings.TrimFunc(value, unicode.IsSpace) == "" {
		return fault.New(fault.Invalid, field, "must not be blank (white space only)")
	}
	return nil
}

// CheckID checks an AccessKeyId as every action takes one: required (MissingParameter; Tencent's
// Terraform provider sends an empty one when it disables an auto key it has just created), and
// 5-50 letters, digits and underscores, the only ids CreateApiKey issues or accepts.
func CheckID(id string) error {
	return valid.First(valid.Required("AccessKeyId", id), valid.WordOfLength("AccessKeyId", id, 5, 50))
}

// CheckSecret checks a caller-chosen AccessKeySecret: required, and 10-50 letters, digits and
// underscores.
func CheckSecret(secret string) error {
	return valid.First(valid.Required("AccessKeySecret", secret), valid.WordOfLength("AccessKeySecret", secret, 10, 50))
}

// CheckTags checks a key's tags: at most MaxTags, each key 1-TagKeyMax characters and not
// repeated, each value at most TagValueMax, no control characters in either. The field it names
// is the tag's, e.g. "Tags.1.Key".
func CheckTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return fault.Newf(fault.Invalid, "Tags", "may hold at most %d tags", MaxTags)
	}
	seen := make(map[string]bool, len(tags))
	for i, t := range tags {
		field := "Tags." + strconv.Itoa(i)
		err := valid.First(
			valid.Required(field+".Key", t.Key),
			valid.Length(field+".Key", t.Key, 1, TagKeyMax),
			valid.Length(field+".Value", t.Value, 0, TagValueMax),
			noControl(field+".Key", t.Key),
			noControl(field+".Value", t.Value),
		)
		if err == nil && seen[t.Key] {
			err = fault.New(fault.Invalid, field+".Key", "repeats an earlier tag key")
		}
		if err != nil {
			return err
		}
		seen[t.Key] = true
	}
	return nil
}

// noControl refuses control characters, which have no place in a name and break log lines.
func noControl(field, value string) error {
	for _, c := range value {
		if unicode.IsControl(c) {
			return fault.New(fault.Invalid, field, "must not contain control characters")
		}
	}
	return nil
}

// KeyParams are the parameters of the actions on one key that take nothing else
// (DescribeApiKey, EnableApiKey, DisableApiKey, DeleteApiKey).
type KeyParams struct {
	AccessKeyID string `json:"AccessKeyId"`
}

// Check checks AccessKeyId (CheckID) before any store is read.
func (p *KeyParams) Check() error { return CheckID(p.AccessKeyID) }
