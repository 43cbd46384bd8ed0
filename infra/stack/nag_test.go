package stack_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"keyport/infra/stack"
)

var awsSolutions = assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))

// TestNag: cdk-nag's AwsSolutions pack, applied by the fixture before
// synthesis, leaves no unsuppressed error or warning.
func TestNag(t *testing.T) {
	f := defaultFixture(t)
	a := assertions.Annotations_FromStack(f.stack.Stack)
	for level, found := range map[string]*[]*cxapi.SynthesisMessage{
		"error":   a.FindError(jsii.String("*"), awsSolutions),
		"warning": a.FindWarning(jsii.String("*"), awsSolutions),
	} {
		for _, m := range *found {
			t.Errorf("unsuppressed cdk-nag %s at %s: %v", level, *m.Id, m.Entry.Data)
		}
	}
}

// TestNagDetects proves the check can fail in this setup: an unrotated
// secret without a suppression must be reported as an error.
func TestNagDetects(t *testing.T) {
	app := stack.NewApp(t.TempDir())
	s := awscdk.NewStack(app, jsii.String("Control"), nil)
	awssecretsmanager.NewSecret(s, jsii.String("Unrotated"), nil)
	stack.AddChecks(app)
	found := assertions.Annotations_FromStack(s).FindError(jsii.String("*"),
		assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-SMG4.*")))
	if len(*found) == 0 {
		t.Errorf("got no AwsSolutions-SMG4 error for an unrotated secret, want one")
	}
}

// wantSuppressions: which rule may be suppressed on which resource types.
var wantSuppressions = map[string][]string{
	"AwsSolutions-APIG4": {"AWS::ApiGatewayV2::Route"},
	"AwsSolutions-SMG4":  {"AWS::SecretsManager::Secret"},
	"AwsSolutions-IAM5":  {"AWS::IAM::Role"},
}

// TestSuppressions: every suppression in the template carries a reason, is
// one of the accepted rules, and sits only on the resources it concerns.
func TestSuppressions(t *testing.T) {
	f := defaultFixture(t)
	got := map[string][]string{}
	resources := map[string]resource{}
	for _, doc := range []templateDoc{f.doc, monitoring(t, f), auditTrail(t, f)} {
		for id, r := range doc.Resources {
			resources[id] = r
		}
	}
	for id, r := range resources {
		nag, _ := r.Metadata["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, x := range rules {
			rule := x.(map[string]any)
			ruleID, reason := str(rule["id"]), str(rule["reason"])
			if len(reason) < 40 {
				t.Errorf("%s: suppression of %s has reason %q, want a real explanation", id, ruleID, reason)
			}
			if !contains(got[ruleID], r.Type) {
				got[ruleID] = append(got[ruleID], r.Type)
			}
		}
	}
	for _, types := range got {
		sort.Strings(types)
	}
	if !reflect.DeepEqual(got, wantSuppressions) {
		t.Errorf("suppressions by rule and resource type:\n got %v\nwant %v", got, wantSuppressions)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
