package audit

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// appendLine appends e's line, {"log_type":"audit",…} without its newline, to b: byte for byte
// what json.Marshal(line{LogType, e}) writes (TestAppendLineIsJSONMarshal), without reflection,
// since every request writes one. e's time must be UTC (clipped makes it so).
func appendLine(b []byte, e Event) ([]byte, error) {
	if y := e.Time.Year(); y < 0 || y > 9999 {
		return b, errYear
	}
	b = append(b, `{"log_type":`...)
	b = appendString(b, LogType)
	b = append(b, `,"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","request_id":`...)
	b = appendString(b, e.RequestID)
	if e.TraceID != "" {
		b = append(b, `,"trace_id":`...)
		b = appendString(b, e.TraceID)
	}
	b = append(b, `,"dialect":`...)
	b = appendString(b, e.Dialect)
	b = append(b, `,"operation":`...)
	b = appendString(b, e.Operation)
	b = append(b, `,"principal":`...)
	b = appendString(b, e.Principal)
	b = append(b, `,"account":`...)
	b = appendString(b, e.Account)
	b = append(b, `,"resource":`...)
	b = appendString(b, e.Resource)
	if e.Action != "" {
		b = append(b, `,"action":`...)
		b = appendString(b, e.Action)
	}
	b = append(b, `,"outcome":`...)
	b = appendString(b, e.Outcome)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, `,"source":`...)
	b = appendString(b, e.Source)
	return append(b, '}'), nil
}

// errYear is json.Marshal's refusal of a time it cannot write as RFC 3339.
var errYear = errors.New("audit: event time outside years 0–9999")

// appendString appends s as a JSON string. Printable ASCII that JSON and encoding/json's HTML
// escaping leave alone (the ids, names, codes and addresses events hold) is copied as it is;
// anything else goes through json.Marshal, so every string is escaped exactly as it would be.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
