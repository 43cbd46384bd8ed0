package tfreplay

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	tccommon "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"keyport/shared/credentials"
)

// tencent sends Tencent Cloud API 3.0 actions with the Go SDK's common client (TC3 signing,
// the SDK's JSON), which puts on the wire what the provider's typed clients do.
type tencent struct {
	t      testing.TB
	client *tccommon.Client
}

func newTencent(t testing.TB, host string) tencent {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = host
	cpf.HttpProfile.Scheme = "HTTP"
	cred := tccommon.NewCredential(credentials.DevTencentSecretID, credentials.DevTencentSecretKey)
	return tencent{t: t, client: tccommon.NewCommonClient(cred, "ap-guangzhou", cpf)}
}

// call sends action and decodes Response into out; it returns the SDK's error, as the
// provider's typed call would.
func (c tencent) call(service, version, action string, params map[string]any, out any) error {
	c.t.Helper()
	req := tchttp.NewCommonRequest(service, version, action)
	if err := req.SetActionParameters(params); err != nil {
		c.t.Fatal(err)
	}
	resp := tchttp.NewCommonResponse()
	if err := c.client.Send(req, resp); err != nil {
		return err
	}
	var env struct{ Response json.RawMessage }
	if err := json.Unmarshal(resp.GetBody(), &env); err != nil {
		c.t.Fatalf("%s: %v", action, err)
	}
	if out != nil {
		if err := json.Unmarshal(env.Response, out); err != nil {
			c.t.Fatalf("%s: %s: %v", action, env.Response, err)
		}
	}
	return nil
}

// must is call, failing t on an error.
func (c tencent) must(service, version, action string, params map[string]any, out any) {
	c.t.Helper()
	if err := c.call(service, version, action, params, out); err != nil {
		c.t.Fatalf("%s: %v", action, err)
	}
}

// code is the Tencent error code of err, or "" when err is not one.
func code(err error) string {
	var e *tcerrors.TencentCloudSDKError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// retried reports whether the provider's tccommon.RetryError would retry err until its write
// timeout rather than fail at once: network errors and the busy classes (by long or short
// code).
func retried(err error) bool {
	c := code(err)
	if c == "" {
		return true
	}
	short, _, _ := strings.Cut(c, ".")
	for _, r := range []string{"ClientError", "FailedOperation", "InternalError", "RequestLimitExceeded", "ResourceInUse", "ResourceInsufficient", "ResourceUnavailable", "ResourceBusy"} {
		if c == r || short == r {
			return true
		}
	}
	return false
}
