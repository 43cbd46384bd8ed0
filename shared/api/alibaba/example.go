package alibaba

import (
	"strings"

	"keyport/shared/credentials"
)

// Placeholders of an example request: the event tooling (events.Sign) sets a real date, nonce,
// body hash and signature just before an event is replayed.
const (
	exampleDate      = "2026-11-24T11:29:15Z"
	exampleNonce     = "00000000000000000000000000000000"
	exampleSignature = "0000000000000000000000000000000000000000000000000000000000000000"
	exampleUserAgent = "AlibabaCloud (linux; arm64) Golang/go1.26.8 Core/0.01 TeaDSL/2"
)

// ExampleHeader returns the headers the APIG SDK (apig-20240327 over darabonba-openapi) sends
// for action, as an operation's example request holds them (see operation.Example): lower-case
// names, the development AccessKeyId, and placeholder date, nonce, body hash and signature.
// withBody adds content-type, which the SDK sends, and signs, only with a body. What the SDK
// sends is described in docs/wire/alibaba.md, "Requests".
func ExampleHeader(action string, withBody bool) map[string]string {
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-credentials-provider", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	h := map[string]string{
		"accept":                     "application/json",
		"user-agent":                 exampleUserAgent,
		"x-acs-action":               action,
		"x-acs-content-sha256":       exampleSignature, // a hex SHA-256, as long as a signature
		"x-acs-credentials-provider": "static_ak",
		"x-acs-date":                 exampleDate,
		"x-acs-signature-nonce":      exampleNonce,
		"x-acs-version":              "2024-03-27",
	}
	if withBody {
		h["content-type"] = "application/json; charset=utf-8"
		signed = append([]string{"content-type"}, signed...)
	}
	h["authorization"] = "ACS3-HMAC-SHA256 Credential=" + credentials.DevAlibabaKeyID +
		",SignedHeaders=" + strings.Join(signed, ";") + ",Signature=" + exampleSignature
	return h
}
