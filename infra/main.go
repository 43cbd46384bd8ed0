// Command infra synthesizes keyport's CDK app into a cloud assembly. The CDK
// CLI runs it (cdk.json: "go run ."), and so can `go run .` alone: it writes
// cdk.out without the CLI. This is the only code that reads the environment.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"keyport/infra/stack"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "infra:", err)
		os.Exit(1)
	}
}

// run builds the app from the environment and synthesizes it.
func run() error {
	defer jsii.Close()
	outdir := envOr("CDK_OUTDIR", "cdk.out")
	app := stack.NewApp(outdir)
	reserved, err := optionalInt("KEYPORT_RESERVED_CONCURRENCY")
	if err != nil {
		return err
	}
	retention, err := optionalInt("KEYPORT_AUDIT_RETENTION_DAYS")
	if err != nil {
		return err
	}
	_, err = stack.New(app, stack.StackName, &stack.Props{
		StackProps:          awscdk.StackProps{Env: env()},
		DistDir:             os.Getenv("KEYPORT_DIST_DIR"),
		ReservedConcurrency: reserved,
		AlarmTopicARN:       os.Getenv("KEYPORT_ALARM_TOPIC_ARN"),
		KeyCache:            os.Getenv("KEYPORT_KEY_CACHE"),
		AuditRetentionDays:  retention,
	})
	if err != nil {
		return err
	}
	stack.AddChecks(app)
	app.Synth(nil)
	return checkAssembly(outdir, stack.StackName)
}

// env targets the account and region the CDK CLI resolved, if any; without
// them the stack is environment-agnostic, which is enough to synthesize.
func env() *awscdk.Environment {
	account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION")
	if account == "" && region == "" {
		return nil
	}
	return &awscdk.Environment{Account: optional(account), Region: optional(region)}
}

// optional is nil for "", so an unset half of the environment stays unresolved.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

// envOr returns the variable's value, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// optionalInt reads an integer variable; unset or empty is 0 (the stack's default).
func optionalInt(name string) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be an integer, got %q", name, v)
	}
	return n, nil
}
