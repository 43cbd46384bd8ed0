package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newOutputs exports each service's endpoint: the $default stage URL,
// which is what an operator sets as the vendor SDK's endpoint.
func newOutputs(scope constructs.Construct, apis map[string]deployedAPI) {
	for _, s := range services() {
		awscdk.NewCfnOutput(scope, jsii.String(s.output), &awscdk.CfnOutputProps{
			Description: jsii.String("keyport " + s.id + " endpoint URL"),
			Value:       apis[s.id].stage.Url(),
		})
	}
}
