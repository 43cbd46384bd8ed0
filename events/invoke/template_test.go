//go:build invoke

package invoke

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// template is the part of the synthesized CloudFormation template the harness reads.
type template struct {
	Resources map[string]struct {
		Type       string          `json:"Type"`
		Properties json.RawMessage `json:"Properties"`
		Metadata   map[string]any  `json:"Metadata"`
	} `json:"Resources"`
}

// lambdaFunction is one AWS::Lambda::Function as the harness runs it.
type lambdaFunction struct {
	name      string // the construct id, which is also the function and event name
	logicalID string
	assetDir  string // absolute: cdk.out/<aws:asset:path>
	props     struct {
		Runtime       string   `json:"Runtime"`
		Handler       string   `json:"Handler"`
		Architectures []string `json:"Architectures"`
		MemorySize    int      `json:"MemorySize"`
		Timeout       int      `json:"Timeout"`
		Environment   struct {
			Variables map[string]json.RawMessage `json:"Variables"`
		} `json:"Environment"`
	}
}

// readTemplate loads <cdkOut>/<stack>.template.json and returns its functions by name. The name
// comes from the aws:cdk:path metadata (<stack>/<name>/Resource); the code directory from
// aws:asset:path, relative to cdk.out, as SAM resolves it.
func readTemplate(cdkOut, stack string) (template, map[string]*lambdaFunction, error) {
	var tpl template
	raw, err := os.ReadFile(filepath.Join(cdkOut, stack+".template.json"))
	if err != nil {
		return tpl, nil, err
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		return tpl, nil, err
	}
	fns := map[string]*lambdaFunction{}
	for id, res := range tpl.Resources {
		if res.Type != "AWS::Lambda::Function" {
			continue
		}
		path, _ := res.Metadata["aws:cdk:path"].(string)
		asset, _ := res.Metadata["aws:asset:path"].(string)
		property, _ := res.Metadata["aws:asset:property"].(string)
		name, ok := strings.CutSuffix(strings.TrimPrefix(path, stack+"/"), "/Resource")
		if !ok || asset == "" || property != "Code" {
			return tpl, nil, fmt.Errorf("%s: want aws:cdk:path %s/<name>/Resource and aws:asset:path/property Code metadata (synthesize with asset metadata enabled), got %v", id, stack, res.Metadata)
		}
		fn := &lambdaFunction{name: name, logicalID: id, assetDir: filepath.Join(cdkOut, asset)}
		if err := json.Unmarshal(res.Properties, &fn.props); err != nil {
			return tpl, nil, fmt.Errorf("%s: %w", id, err)
		}
		fns[name] = fn
	}
	return tpl, fns, nil
}

// cloud names the resources the template's references resolve to: what CloudFormation would
// substitute, here the moto resources the harness created.
type cloud struct {
	table, keyID, keyARN, secretARN string
}

// resolve returns the environment of fn with each Ref and Fn::GetAtt replaced by the matching
// cloud value, chosen by the referenced resource's type, so a wrong reference fails here.
func (tpl template) resolve(fn *lambdaFunction, c cloud) (map[string]string, error) {
	env := map[string]string{}
	for name, raw := range fn.props.Environment.Variables {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			env[name] = s
			continue
		}
		var ref struct {
			Ref    string   `json:"Ref"`
			GetAtt []string `json:"Fn::GetAtt"`
		}
		if err := json.Unmarshal(raw, &ref); err != nil {
			return nil, fmt.Errorf("%s: %s is neither a string, Ref nor Fn::GetAtt", name, raw)
		}
		id, attr := ref.Ref, "Ref"
		if len(ref.GetAtt) == 2 {
			id, attr = ref.GetAtt[0], ref.GetAtt[1]
		}
		v, ok := c.value(tpl.Resources[id].Type, attr)
		if !ok {
			return nil, fmt.Errorf("%s: cannot resolve %s of %s (%s)", name, attr, id, tpl.Resources[id].Type)
		}
		env[name] = v
	}
	return env, nil
}

// value is CloudFormation's return value for a resource type's Ref or attribute.
func (c cloud) value(resourceType, attr string) (string, bool) {
	switch resourceType + " " + attr {
	case "AWS::DynamoDB::Table Ref":
		return c.table, true
	case "AWS::DynamoDB::Table Arn":
		return "arn:aws:dynamodb:us-east-1:123456789012:table/" + c.table, true
	case "AWS::KMS::Key Ref":
		return c.keyID, true
	case "AWS::KMS::Key Arn":
		return c.keyARN, true
	case "AWS::SecretsManager::Secret Ref":
		return c.secretARN, true
	}
	return "", false
}
