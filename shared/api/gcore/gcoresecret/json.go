package gcoresecret

// TimeLayout is how secret times travel: whole seconds with a numeric zone offset, the form
// Gcore documents (2023-03-23T20:00:00+00:00). GC-labs parses exactly this layout (and fails
// on a time without a zone); GC-go accepts it too. Times are UTC, so the offset is +00:00.
// See docs/wire/gcore.md, "Secret object".
const TimeLayout = "2006-01-02T15:04:05-07:00"

// JSON is Gcore's Secret object (GET .../secrets/{p}/{r}/{id} and each list result).
// Optional fields keyport has no value for are null, as Gcore documents them nullable.
type JSON struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	SecretType   string            `json:"secret_type"`
	Status       string            `json:"status"`
	Algorithm    *string           `json:"algorithm"`
	BitLength    *int64            `json:"bit_length"`
	Mode         *string           `json:"mode"`
	ContentTypes map[string]string `json:"content_types"`
	Created      string            `json:"created"`
	Expiration   *string           `json:"expiration"`
}

// JSON renders s as Gcore's Secret object. It never holds the payload.
func (s Secret) JSON() JSON {
	out := JSON{
		ID:           s.ID,
		Name:         s.Name,
		SecretType:   s.SecretType,
		Status:       StatusActive,
		Algorithm:    optional(s.Algorithm),
		Mode:         optional(s.Mode),
		ContentTypes: map[string]string{"default": s.PayloadContentType},
		Created:      s.Created.UTC().Format(TimeLayout),
	}
	if s.BitLength > 0 {
		out.BitLength = &s.BitLength
	}
	if !s.Expiration.IsZero() {
		e := s.Expiration.UTC().Format(TimeLayout)
		out.Expiration = &e
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
