package localserver

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"keyport/shared/credentials"
)

// TestOpenStackCLI runs Debian's python3-openstackclient (with python3-barbicanclient; .ci/run
// installs both) against the server with a clouds.yaml holding the development user's
// password: a token, then a secret stored, listed, read and deleted. Without the openstack
// command the test is skipped, unless KEYPORT_REQUIRE_OPENSTACK is set (as .ci/run sets it).
func TestOpenStackCLI(t *testing.T) {
	cli, err := exec.LookPath("openstack")
	if err != nil {
		if os.Getenv("KEYPORT_REQUIRE_OPENSTACK") != "" {
			t.Fatal("the openstack command (python3-openstackclient) is required")
		}
		t.Skip("no openstack command (python3-openstackclient); .ci/run installs it")
	}
	srv := newTestServer(t)
	dir := t.TempDir()
	clouds := filepath.Join(dir, "clouds.yaml")
	if err := os.WriteFile(clouds, []byte(`clouds:
  keyport:
    auth:
      auth_url: `+srv.URL+`/v3
      username: `+credentials.DevUserName+`
      password: `+credentials.DevUserPassword+`
      user_domain_name: Default
      project_name: `+credentials.DevProjectName+`
      project_domain_id: default
    region_name: RegionOne
    identity_api_version: 3
`), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"--os-cloud", "keyport"}, args...)...)
		cmd.Env = append(os.Environ(), "OS_CLIENT_CONFIG_FILE="+clouds, "HOME="+dir, "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("openstack %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	var token map[string]string
	if err := json.Unmarshal([]byte(run("token", "issue", "-f", "json")), &token); err != nil ||
		token["project_id"] != credentials.DevK5Tenant || token["user_id"] != credentials.DevUserID || token["id"] == "" {
		t.Fatalf("token issue: got %v, %v", token, err)
	}
	var stored map[string]any
	if err := json.Unmarshal([]byte(run("secret", "store", "--name", "cli-keystone", "--payload", "cli keystone payload", "-f", "json")), &stored); err != nil {
		t.Fatalf("secret store: %v", err)
	}
	href, _ := stored["Secret href"].(string)
	if !strings.HasPrefix(href, srv.URL+"/v1/secrets/") {
		t.Fatalf("secret store: got href %q", href)
	}
	if list := run("secret", "list", "--name", "cli-keystone", "-f", "json"); !strings.Contains(list, href) {
		t.Errorf("secret list: got %s, want %s", list, href)
	}
	if got := run("secret", "get", href, "--payload", "-f", "value"); strings.TrimSpace(got) != "cli keystone payload" {
		t.Errorf("secret get --payload: got %q", got)
	}
	run("secret", "delete", href)
	if list := run("secret", "list", "--name", "cli-keystone", "-f", "json"); strings.Contains(list, href) {
		t.Errorf("secret list after delete: got %s", list)
	}
}
