package stack_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"keyport/infra/stack"
)

// fixture is one synthesized app: the stack, its template both as CDK
// assertions see it and decoded, and where the cloud assembly went.
type fixture struct {
	stack  *stack.Keyport
	tmpl   assertions.Template
	doc    templateDoc
	outdir string
}

// templateDoc is the part of a CloudFormation template the tests read.
type templateDoc struct {
	Resources map[string]resource `json:"Resources"`
	Outputs   map[string]output   `json:"Outputs"`
}

type resource struct {
	Type                string         `json:"Type"`
	Properties          map[string]any `json:"Properties"`
	Metadata            map[string]any `json:"Metadata"`
	DeletionPolicy      string         `json:"DeletionPolicy"`
	UpdateReplacePolicy string         `json:"UpdateReplacePolicy"`
}

type output struct {
	Value any `json:"Value"`
}

// tempDirs are removed by TestMain: the shared fixture outlives any one test.
var tempDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	jsii.Close()
	os.Exit(code)
}

func mkdirTemp() (string, error) {
	d, err := os.MkdirTemp("", "keyport-infra-")
	if err == nil {
		tempDirs = append(tempDirs, d)
	}
	return d, err
}

// bootstrapContent is the dummy multi-call binary every function runs.
const bootstrapContent = "#!/bin/sh\n# dummy keyport bootstrap\n"

// makeDist writes the dummy bootstrap, as `make build` would.
func makeDist() (string, error) {
	dir, err := mkdirTemp()
	if err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "bootstrap"), []byte(bootstrapContent), 0o755)
}

// synth builds and synthesizes the stack with the AwsSolutions checks
// applied (added before synthesis, as main does), then decodes the template.
func synth(props stack.Props) (*fixture, error) {
	outdir, err := mkdirTemp()
	if err != nil {
		return nil, err
	}
	if props.DistDir == "" {
		if props.DistDir, err = makeDist(); err != nil {
			return nil, err
		}
	}
	app := stack.NewApp(outdir)
	k, err := stack.New(app, stack.StackName, &props)
	if err != nil {
		return nil, err
	}
	stack.AddChecks(app)
	app.Synth(nil)
	f := &fixture{stack: k, tmpl: assertions.Template_FromStack(k.Stack, nil), outdir: outdir}
	raw, err := json.Marshal(f.tmpl.ToJSON())
	if err != nil {
		return nil, err
	}
	return f, json.Unmarshal(raw, &f.doc)
}

var shared struct {
	once sync.Once
	f    *fixture
	err  error
}

// defaultFixture is the stack with default props, synthesized once.
func defaultFixture(t *testing.T) *fixture {
	t.Helper()
	shared.once.Do(func() { shared.f, shared.err = synth(stack.Props{}) })
	if shared.err != nil {
		t.Fatalf("synth: %v", shared.err)
	}
	return shared.f
}

// must turns a failed CDK assertion (a panic out of jsii) into a test error.
func must(t *testing.T, what string, assertion func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	assertion()
}

// byPath returns the logical id and resource whose aws:cdk:path is
// KeyportStack/<path>/Resource.
func (f *fixture) byPath(t *testing.T, path string) (string, resource) {
	t.Helper()
	want := stack.StackName + "/" + path + "/Resource"
	for id, r := range f.doc.Resources {
		if r.Metadata["aws:cdk:path"] == want {
			return id, r
		}
	}
	t.Fatalf("no resource at %s", want)
	return "", resource{}
}

// ofType returns every resource of a CloudFormation type by logical id.
func (f *fixture) ofType(typ string) map[string]resource {
	out := map[string]resource{}
	for id, r := range f.doc.Resources {
		if r.Type == typ {
			out[id] = r
		}
	}
	return out
}

// only returns the single resource of a type.
func (f *fixture) only(t *testing.T, typ string) (string, resource) {
	t.Helper()
	all := f.ofType(typ)
	if len(all) != 1 {
		t.Fatalf("got %d %s, want 1", len(all), typ)
	}
	for id, r := range all {
		return id, r
	}
	panic("unreachable")
}

func ref(id string) any { return map[string]any{"Ref": id} }

func getAtt(id, attr string) any { return map[string]any{"Fn::GetAtt": []any{id, attr}} }

// js renders a decoded template value for messages.
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
