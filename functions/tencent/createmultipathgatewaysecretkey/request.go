package createmultipathgatewaysecretkey

import (
	"strings"

	"keyport/shared/api/tencent"
	"keyport/shared/fault"
	"keyport/shared/valid"
)

// zoneSuffixMax bounds the part after "zone-". No formal ZoneId pattern was found (WIRE §6.4):
// every example is "zone-" followed by 10-13 lower-case letters and digits, so keyport accepts
// "zone-" plus 1-32 of those.
const zoneSuffixMax = 32

// SecretKey bounds: a base64 string whose decoded length is 32-48 bytes (WIRE §6.2).
const (
	secretKeyMinBytes = 32
	secretKeyMaxBytes = 48
)

// request is CreateMultiPathGatewaySecretKey's parameters (WIRE §6.2).
type request struct {
	ZoneID    string `json:"ZoneId"`
	SecretKey string `json:"SecretKey"`
}

// decode parses and validates a body: ZoneId is required (MissingParameter) and must look like
// a zone id, SecretKey is optional but, when given, must be strict base64 of 32-48 bytes
// (InvalidParameterValue for both).
func decode(body []byte) (request, error) {
	var r request
	if err := tencent.Decode(body, &r); err != nil {
		return r, err
	}
	err := valid.First(valid.Required("ZoneId", r.ZoneID), CheckZoneID(r.ZoneID))
	if err == nil && r.SecretKey != "" {
		err = CheckSecretKey(r.SecretKey)
	}
	return r, err
}

// CheckSecretKey checks standard padded base64 of 32-48 bytes. Line breaks are refused although Go's
// strict decoder skips them: the key is stored as sent and must read back as one clean string.
func CheckSecretKey(v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fault.New(fault.Invalid, "SecretKey", "must be valid base64")
	}
	_, err := valid.Base64OfSize("SecretKey", v, secretKeyMinBytes, secretKeyMaxBytes)
	return err
}

// CheckZoneID checks "zone-" followed by 1-zoneSuffixMax lower-case ASCII letters and digits.
func CheckZoneID(v string) error {
	const prefix = "zone-"
	ok := len(v) > len(prefix) && len(v) <= len(prefix)+zoneSuffixMax && v[:len(prefix)] == prefix
	for i := len(prefix); ok && i < len(v); i++ {
		c := v[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}
	if !ok {
		return fault.Newf(fault.Invalid, "ZoneId", "must be zone- followed by 1 to %d lower-case letters and digits", zoneSuffixMax)
	}
	return nil
}
