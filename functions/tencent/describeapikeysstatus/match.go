package describeapikeysstatus

import (
	"crypto/subtle"
	"slices"
	"strings"

	"keyport/shared/api/tencent/apikey"
	"keyport/shared/store"
)

// matches reports whether rec passes every filter that does not need its secret: the values of
// one filter are OR-ed, filters are AND-ed.
//   - AccessKeyId and SecretName match exactly (Tencent's Terraform provider reads a key back
//     by filtering on its id and taking the first item, so a partial match would be wrong).
//   - KeyWord is a case-sensitive substring of the name or of the id.
//   - Status is "0" (disabled) or "1" (enabled).
//   - NotUsagePlanId excludes keys bound to a usage plan; keyport has no usage plans, so every
//     key passes.
//   - AccessKeySecret is left to matchesSecret.
func matches(rec store.Record, fs []filter) bool {
	for _, f := range fs {
		if !matchesOne(rec, f) {
			return false
		}
	}
	return true
}

func matchesOne(rec store.Record, f filter) bool {
	name := rec.Attrs.String(apikey.AttrSecretName)
	switch f.Name {
	case filterAccessKeyID:
		return slices.Contains(f.Values, rec.ID)
	case filterSecretName:
		return slices.Contains(f.Values, name)
	case filterStatus:
		return slices.Contains(f.Values, rec.Attrs.String(apikey.AttrStatus))
	case filterKeyWord:
		return slices.ContainsFunc(f.Values, func(v string) bool {
			return strings.Contains(name, v) || strings.Contains(rec.ID, v)
		})
	}
	return true // NotUsagePlanId, and AccessKeySecret until the secret is open
}

// secretFilters returns the AccessKeySecret filters.
func secretFilters(fs []filter) []filter {
	var out []filter
	for _, f := range fs {
		if f.Name == filterAccessKeySecret {
			out = append(out, f)
		}
	}
	return out
}

// matchesSecret reports whether secret passes every AccessKeySecret filter, comparing in
// constant time so that response timing says nothing about how much of a guess was right.
func matchesSecret(secret string, fs []filter) bool {
	for _, f := range fs {
		hit := 0
		for _, v := range f.Values {
			hit |= subtle.ConstantTimeCompare([]byte(v), []byte(secret))
		}
		if hit == 0 {
			return false
		}
	}
	return true
}
