package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"keyport/functions"
	"keyport/shared/operation"
)

// Region, account, client address and time of every event: fixed, so that Render is
// deterministic and an event only changes when its row does. Sign moves the time to now.
const (
	region    = "eu-west-1"
	accountID = "123456789012"
	sourceIP  = "198.51.100.7"
)

var eventTime = time.Date(2026, 11, 24, 11, 29, 15, 0, time.UTC)

// apiIDs are the API Gateway ids of the stack's HTTP APIs in the events. An API not listed
// gets one derived from its name.
var apiIDs = map[string]string{
	"Alibaba": "a1b2c3d4e5", "TencentApiGateway": "b2c3d4e5f6", "TencentEdgeOne": "c3d4e5f6a7",
	"Gcore": "d4e5f6a7b8", "K5": "e5f6a7b8c9", "Barbican": "b1c2d3e4f5",
}

func apiID(api string) string {
	if id, ok := apiIDs[api]; ok {
		return id
	}
	sum := sha256.Sum256([]byte(api))
	return hex.EncodeToString(sum[:5])
}

// event is a payload 2.0 event, its fields in the order API Gateway's examples give them.
type event struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	RequestContext        requestContext    `json:"requestContext"`
	Body                  string            `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

type requestContext struct {
	AccountID    string      `json:"accountId"`
	APIID        string      `json:"apiId"`
	DomainName   string      `json:"domainName"`
	DomainPrefix string      `json:"domainPrefix"`
	HTTP         httpContext `json:"http"`
	RequestID    string      `json:"requestId"`
	RouteKey     string      `json:"routeKey"`
	Stage        string      `json:"stage"`
	Time         string      `json:"time"`
	TimeEpoch    int64       `json:"timeEpoch"`
}

type httpContext struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// Render returns the event of fn: the Example of its first row that has one, as API Gateway
// would deliver it to the function (its own headers added, path and query parameters parsed),
// unsigned (see Sign). `make events` writes it to <function>.json for a function that has no
// event yet, and a test keeps every stored event equal to it.
func Render(fn functions.Function) ([]byte, error) {
	row, ok := exampleRow(fn)
	if !ok {
		return nil, fmt.Errorf("events: no row of %s has an Example", fn.Name)
	}
	ex := row.Example
	method, route, _ := strings.Cut(row.Route, " ")
	params, ok := pathParameters(route, ex.Path)
	if !ok {
		return nil, fmt.Errorf("events: %s: Example path %q does not match route %q", row.Name, ex.Path, row.Route)
	}
	query, err := queryParameters(ex.Query)
	if err != nil {
		return nil, fmt.Errorf("events: %s: Example query: %w", row.Name, err)
	}
	id := apiID(fn.API)
	domain := id + ".execute-api." + region + ".amazonaws.com"
	headers := map[string]string{
		"host":              domain,
		"x-amzn-trace-id":   "Root=1-65f0c0de-0123456789abcdef01234567",
		"x-forwarded-for":   sourceIP,
		"x-forwarded-port":  "443",
		"x-forwarded-proto": "https",
	}
	for k, v := range ex.Header {
		if k != strings.ToLower(k) {
			return nil, fmt.Errorf("events: %s: Example header %q is not lower-case", row.Name, k)
		}
		headers[k] = v
	}
	if ex.Body != "" {
		headers["content-length"] = strconv.Itoa(len(ex.Body))
	}
	ev := event{
		Version: "2.0", RouteKey: row.Route, RawPath: ex.Path, RawQueryString: ex.Query,
		Headers: headers, QueryStringParameters: query, PathParameters: params,
		RequestContext: requestContext{
			AccountID: accountID, APIID: id, DomainName: domain, DomainPrefix: id,
			HTTP:      httpContext{Method: method, Path: ex.Path, Protocol: "HTTP/1.1", SourceIP: sourceIP, UserAgent: ex.Header["user-agent"]},
			RequestID: requestID(fn.Name), RouteKey: row.Route, Stage: "$default",
			Time: eventTime.Format("02/Jan/2006:15:04:05 -0700"), TimeEpoch: eventTime.UnixMilli(),
		},
		Body: ex.Body,
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // "&" in a query stays "&", as API Gateway writes it
	enc.SetIndent("", "  ")
	err = enc.Encode(ev)
	return out.Bytes(), err
}

func exampleRow(fn functions.Function) (operation.Row, bool) {
	for _, row := range fn.Operations {
		if row.Example != nil {
			return row, true
		}
	}
	return operation.Row{}, false
}

// pathParameters matches path against a ServeMux route and returns its wildcards' values.
func pathParameters(route, path string) (map[string]string, bool) {
	rs, ps := strings.Split(strings.TrimSuffix(route, "{$}"), "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return nil, false
	}
	var params map[string]string
	for i, seg := range rs {
		name, wild := strings.CutPrefix(seg, "{")
		if !wild {
			if seg != ps[i] {
				return nil, false
			}
			continue
		}
		if params == nil {
			params = map[string]string{}
		}
		params[strings.TrimSuffix(strings.TrimSuffix(name, "}"), "...")] = ps[i]
	}
	return params, true
}

// queryParameters is how API Gateway delivers a query: repeated names joined with ",".
func queryParameters(raw string) (map[string]string, error) {
	if raw == "" {
		return nil, nil
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, vs := range values {
		out[k] = strings.Join(vs, ",")
	}
	return out, nil
}

// requestID is an API Gateway-shaped request id, derived from the function name.
func requestID(function string) string {
	sum := sha256.Sum256([]byte(function))
	return base64.StdEncoding.EncodeToString(sum[:11])[:15] + "="
}
