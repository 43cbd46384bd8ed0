package events

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"keyport/shared/credentials"
	"keyport/shared/sign/acs3"
	"keyport/shared/sign/tc3"
)

// gateway is the part of a payload 2.0 event that signing reads and rewrites; every other
// field is carried through untouched.
type gateway struct {
	RawPath        string            `json:"rawPath"`
	RawQueryString string            `json:"rawQueryString"`
	Headers        map[string]string `json:"headers"`
	Body           string            `json:"body"`
	Base64         bool              `json:"isBase64Encoded"`
	Context        struct {
		HTTP struct {
			Method string `json:"method"`
		} `json:"http"`
	} `json:"requestContext"`
}

// Sign returns event signed at now with the development credentials (credentials.Dev) of the
// key its Authorization header names: TC3 events get a fresh X-TC-Timestamp, ACS3 events a
// fresh x-acs-date and x-acs-signature-nonce, and both a new Authorization. requestContext's
// time and timeEpoch move to now too. An event signed by neither scheme comes back unchanged,
// so every event can go through Sign.
func Sign(event []byte, now time.Time) ([]byte, error) {
	var ev gateway
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, fmt.Errorf("events: not a payload 2.0 event: %w", err)
	}
	var err error
	switch auth := ev.Headers["authorization"]; {
	case strings.HasPrefix(auth, tc3.Algorithm+" "):
		err = signTC3(&ev, auth, now)
	case strings.HasPrefix(auth, acs3.Algorithm+" "):
		err = signACS3(&ev, auth, now)
	default:
		return event, nil
	}
	if err != nil {
		return nil, err
	}
	return rewrite(event, ev.Headers, now)
}

// signTC3 re-signs a Tencent event with the key, service and header list its Authorization names.
func signTC3(ev *gateway, auth string, now time.Time) error {
	a, err := tc3.ParseAuthorization(auth)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	key, ok := credentials.Dev().Tencent(a.SecretID)
	if !ok {
		return fmt.Errorf("events: %s is not a development SecretId", a.SecretID)
	}
	body, err := ev.body()
	if err != nil {
		return err
	}
	ev.Headers["x-tc-timestamp"] = strconv.FormatInt(now.Unix(), 10)
	req := tc3.Request{Method: ev.Context.HTTP.Method, Query: ev.RawQueryString, Payload: body,
		Header: func(name string) string { return ev.Headers[name] }}
	signed, err := tc3.Sign(a.SecretID, key.Secret, a.Service, now, a.SignedHeaders, req)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	ev.Headers["authorization"] = signed
	return nil
}

// signACS3 re-signs an Alibaba event the way the SDK signs: every x-acs-* header, host and
// content-type, over the path as the client would have escaped it.
func signACS3(ev *gateway, auth string, now time.Time) error {
	a, err := acs3.ParseAuthorization(auth)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	key, ok := credentials.Dev().Alibaba(a.AccessKeyID)
	if !ok {
		return fmt.Errorf("events: %s is not a development AccessKeyId", a.AccessKeyID)
	}
	body, err := ev.body()
	if err != nil {
		return err
	}
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return err
	}
	ev.Headers["x-acs-date"] = now.UTC().Format("2006-01-02T15:04:05Z")
	ev.Headers["x-acs-signature-nonce"] = hex.EncodeToString(nonce[:])
	u := url.URL{Scheme: "https", Host: ev.Headers["host"], Path: ev.RawPath, RawQuery: ev.RawQueryString}
	r, err := http.NewRequest(ev.Context.HTTP.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	for name, value := range ev.Headers {
		if name != "host" && name != "authorization" {
			r.Header.Set(name, value)
		}
	}
	acs3.Sign(r, body, a.AccessKeyID, key.Secret)
	for name := range r.Header {
		ev.Headers[strings.ToLower(name)] = r.Header.Get(name)
	}
	return nil
}

// body returns the request body as the client sent it.
func (ev *gateway) body() ([]byte, error) {
	if !ev.Base64 {
		return []byte(ev.Body), nil
	}
	b, err := base64.StdEncoding.DecodeString(ev.Body)
	if err != nil {
		return nil, errors.New("events: isBase64Encoded body is not base64")
	}
	return b, nil
}

// rewrite replaces headers and the request time in event, keeping every other field as is.
func rewrite(event []byte, headers map[string]string, now time.Time) ([]byte, error) {
	var whole map[string]json.RawMessage
	if err := json.Unmarshal(event, &whole); err != nil {
		return nil, err
	}
	var rc map[string]json.RawMessage
	if err := json.Unmarshal(whole["requestContext"], &rc); err != nil {
		return nil, fmt.Errorf("events: requestContext: %w", err)
	}
	rc["time"], _ = json.Marshal(now.UTC().Format("02/Jan/2006:15:04:05 -0700"))
	rc["timeEpoch"], _ = json.Marshal(now.UnixMilli())
	var err error
	if whole["requestContext"], err = json.Marshal(rc); err != nil {
		return nil, err
	}
	if whole["headers"], err = json.Marshal(headers); err != nil {
		return nil, err
	}
	return json.MarshalIndent(whole, "", "  ")
}
