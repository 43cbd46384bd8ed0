// Package events holds one API Gateway HTTP API (payload 2.0) event per keyport Lambda, named
// <function>.json, each a request that function accepts: `sam local invoke` and the invoke
// harness (events/invoke, build tag invoke) replay them through the real binaries.
//
// The Tencent and Alibaba events carry a placeholder signature, because both vendors refuse a
// signature older than a few minutes; Sign (or `go run ./events/sign`) re-signs an event with
// the development credentials just before it is used.
package events

import (
	"embed"
	"path"
	"slices"
	"strings"
)

//go:embed *.json
var files embed.FS

// Functions returns the name of every function that has an event, sorted.
func Functions() []string {
	entries, _ := files.ReadDir(".")
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Load returns the stored (unsigned) event of function.
func Load(function string) ([]byte, error) {
	return files.ReadFile(path.Clean(function) + ".json")
}
