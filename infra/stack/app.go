package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// NewApp returns an app synthesizing to outdir with the context the CDK CLI
// would pass, so `go run .`, `cdk synth` and the tests agree: asset and path
// metadata on (tools map each function in the template to its asset.<hash>
// copy through aws:asset:path) and construction stack traces off.
func NewApp(outdir string) awscdk.App {
	return awscdk.NewApp(&awscdk.AppProps{
		Outdir: jsii.String(outdir),
		Context: &map[string]any{
			"aws:cdk:enable-asset-metadata": true,
			"aws:cdk:enable-path-metadata":  true,
			"aws:cdk:disable-stack-trace":   true,
		},
	})
}
