package createapikey

import (
	"strconv"
	"unicode"

	"keyport/shared/api/tencent"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// AccessKeyType values.
const (
	typeAuto   = "auto"
	typeManual = "manual"
)

// Bounds keyport chooses where Tencent documents none (WIRE §3.2, §9.3).
const (
	// secretNameMax: no length or charset rule was found for SecretName. 60 characters is the
	// bound chosen; any printable text (including non-ASCII names) is accepted, control
	// characters are not.
	secretNameMax = 60
	// Tags: no rule is documented for this action. These bounds are chosen to keep a record
	// small: at most 50 tags, keys 1-127 characters and unique, values up to 255 characters.
	maxTags     = 50
	tagKeyMax   = 127
	tagValueMax = 255
)

// request is CreateApiKey's parameters (WIRE §3.2).
type request struct {
	SecretName      string `json:"SecretName"`
	AccessKeyType   string `json:"AccessKeyType"`
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	Tags            []Tag  `json:"Tags"`
}

// Tag is Tencent's Tag structure.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// decode parses and validates a CreateApiKey body. A missing parameter is MissingParameter;
// every other rule breach, including a value that is not Unicode text, is
// InvalidParameter.FormatError, the one validation code this action documents. AccessKeyType
// defaults to auto and Tags to none.
func decode(body []byte) (request, error) {
	var r request
	if err := tencent.Decode(body, &r); err != nil {
		return r, formatError(err)
	}
	if r.AccessKeyType == "" {
		r.AccessKeyType = typeAuto
	}
	if r.Tags == nil {
		r.Tags = []Tag{} // rendered and stored as [], not null
	}
	return r, formatError(r.validate())
}

// formatError gives an Invalid fault that names no code of its own this action's validation
// code; Decode's UnknownParameter keeps its code, and other kinds keep theirs.
func formatError(err error) error {
	if f := fault.As(err); err != nil && f.Kind == fault.Invalid && f.Code == "" {
		return f.WithCode(codeFormatError)
	}
	return err
}

func (r request) validate() error {
	return valid.First(
		valid.Required("SecretName", r.SecretName),
		valid.Length("SecretName", r.SecretName, 1, secretNameMax),
		noControl("SecretName", r.SecretName),
		valid.OneOf("AccessKeyType", r.AccessKeyType, typeAuto, typeManual),
		r.validateKey(),
		validateTags(r.Tags),
	)
}

// validateKey applies the manual key rules. With auto, a caller-chosen AccessKeyId or
// AccessKeySecret is refused rather than ignored: ignoring it would leave the caller
// believing its chosen secret is in force while a different one was issued.
func (r request) validateKey() error {
	if r.AccessKeyType == typeAuto {
		return valid.First(
			absent("AccessKeyId", r.AccessKeyID),
			absent("AccessKeySecret", r.AccessKeySecret),
		)
	}
	return valid.First(
		valid.Required("AccessKeyId", r.AccessKeyID),
		valid.WordOfLength("AccessKeyId", r.AccessKeyID, 5, 50),
		valid.Required("AccessKeySecret", r.AccessKeySecret),
		valid.WordOfLength("AccessKeySecret", r.AccessKeySecret, 10, 50),
	)
}

func validateTags(tags []Tag) error {
	if len(tags) > maxTags {
		return fault.Newf(fault.Invalid, "Tags", "may hold at most %d tags", maxTags)
	}
	seen := make(map[string]bool, len(tags))
	for i, t := range tags {
		field := "Tags." + strconv.Itoa(i)
		err := valid.First(
			valid.Required(field+".Key", t.Key),
			valid.Length(field+".Key", t.Key, 1, tagKeyMax),
			valid.Length(field+".Value", t.Value, 0, tagValueMax),
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

// absent refuses a parameter that only manual keys may carry.
func absent(field, value string) error {
	if value != "" {
		return fault.New(fault.Invalid, field, "may be given only when AccessKeyType is manual")
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
