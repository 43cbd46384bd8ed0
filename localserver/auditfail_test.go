package localserver

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/localdata/localdatatest"
)

// fullDisk is an audit stream that fails, as a file on a full disk does, once broken is set.
type fullDisk struct{ broken atomic.Bool }

func (d *fullDisk) Write(p []byte) (int, error) {
	if d.broken.Load() {
		return 0, errors.New("write audit.log: no space left on device")
	}
	return len(p), nil
}

// TestAuditFailsClosed: once the audit trail cannot be written, every dialect answers its
// server error in place of the answer (a secret value, a created id, metadata), and the
// answer's bytes never reach the client.
func TestAuditFailsClosed(t *testing.T) {
	data := localdatatest.Open(t)
	disk := &fullDisk{}
	svc := quietServices(data.Store, data.Sealer, credentials.Dev())
	svc.audit = audit.NewWriter(disk)
	srv := httptest.NewServer(newMux(svc))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	create := tencentReq(t, addr, "apigateway", "2018-08-08", "CreateApiKey", credentials.DevTencentSecretKey,
		map[string]any{"SecretName": "failclosed", "AccessKeyType": "manual", "AccessKeyId": "failclosed_1", "AccessKeySecret": "$SECRET"})
	secret := create.secrets[0]
	if _, body := do(t, create.r); tencentCode(t, body) != "" {
		t.Fatalf("create: %s", body)
	}
	ali := alibabaReq(t, addr, credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, "failclosed", "$SECRET")
	aliSecret := ali.secrets[0]
	if status, body := do(t, ali.r); status != 200 {
		t.Fatalf("alibaba create: %d %s", status, body)
	}
	k5 := k5Req(t, addr, http.MethodPost, credentials.DevK5Tenant, credentials.DevK5Token, "opaque")
	status, body := do(t, k5.r)
	if status != 201 {
		t.Fatalf("k5 create: %d %s", status, body)
	}
	ref := string(body[bytes.Index(body, []byte("/secrets/"))+len("/secrets/"):])
	k5ID := ref[:strings.IndexByte(ref, '"')]

	disk.broken.Store(true)
	describe := tencentReq(t, addr, "apigateway", "2018-08-08", "DescribeApiKey", credentials.DevTencentSecretKey,
		map[string]any{"AccessKeyId": "failclosed_1"})
	if _, body := do(t, describe.r); tencentCode(t, body) != "InternalError" || bytes.Contains(body, []byte(secret)) {
		t.Errorf("tencent read: %s, want InternalError without the key", body)
	}
	if status, body := do(t, alibabaGet(t, addr, "/v1/secrets/name/failclosed/value", credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret)); status != 500 || bytes.Contains(body, []byte(aliSecret)) || !bytes.Contains(body, []byte(`"code"`)) {
		t.Errorf("alibaba value: %d %s, want APIG's 500 without the value", status, body)
	}
	if status, body := do(t, gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey, "$SECRET").r); status != 500 || bytes.Contains(body, []byte("tasks")) || !bytes.Contains(body, []byte("exception_class")) {
		t.Errorf("gcore create: %d %s, want Gcore's 500 without its task", status, body)
	}
	for _, path := range []string{"/secrets/" + k5ID, "/secrets/" + k5ID + "/payload"} {
		status, body := do(t, plainReq(t, http.MethodGet, "http://"+addr+"/v1/"+credentials.DevK5Tenant+path, nil,
			map[string]string{"X-Auth-Token": credentials.DevK5Token}).r)
		if status != 500 || bytes.Contains(body, []byte(k5.secrets[0])) || bytes.Contains(body, []byte(k5ID)) {
			t.Errorf("k5 %s: %d %s, want Barbican's 500", path, status, body)
		}
	}
	disk.broken.Store(false)
	if _, body := do(t, tencentReq(t, addr, "apigateway", "2018-08-08", "DescribeApiKey", credentials.DevTencentSecretKey,
		map[string]any{"AccessKeyId": "failclosed_1"}).r); tencentCode(t, body) != "" {
		t.Errorf("once the trail is writable again: %s", body)
	}
}

// TestAuditFailsClosedOnFullDevice: the audit trail opened the way start-up opens it
// (openAudit) on /dev/full, where every write fails with ENOSPC as on a full filesystem, as
// root too (a chmod-ed file would not stop root): start-up opens it, and then every answer,
// a secret value above all, is refused with the dialect's server error. The secret is
// created through a second server on the same store whose trail works.
func TestAuditFailsClosedOnFullDevice(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	data := localdatatest.Open(t)
	writable := httptest.NewServer(newMux(quietServices(data.Store, data.Sealer, credentials.Dev())))
	t.Cleanup(writable.Close)
	ali := alibabaReq(t, strings.TrimPrefix(writable.URL, "http://"), credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret, "devfull", "$SECRET")
	if status, body := do(t, ali.r); status != 200 {
		t.Fatalf("alibaba create: %d %s", status, body)
	}

	trail, closeTrail, err := openAudit(config{auditPath: "/dev/full"}, io.Discard)
	if err != nil {
		t.Fatalf("start-up cannot open /dev/full as its trail: %v", err)
	}
	t.Cleanup(closeTrail)
	svc := quietServices(data.Store, data.Sealer, credentials.Dev())
	svc.audit = trail
	full := httptest.NewServer(newMux(svc))
	t.Cleanup(full.Close)
	addr := strings.TrimPrefix(full.URL, "http://")

	for i := 0; i < 3; i++ {
		status, body := do(t, alibabaGet(t, addr, "/v1/secrets/name/devfull/value", credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret))
		if status != 500 || bytes.Contains(body, []byte(ali.secrets[0])) || !bytes.Contains(body, []byte(`"code"`)) {
			t.Fatalf("alibaba value with the trail on /dev/full: %d %s, want APIG's 500 without the value", status, body)
		}
	}
	if status, body := do(t, gcoreReq(t, addr, http.MethodPost, "/cloud/v1/secrets/1/76", credentials.DevGcoreAPIKey, "$SECRET").r); status != 500 || bytes.Contains(body, []byte("tasks")) {
		t.Errorf("gcore create with the trail on /dev/full: %d %s, want Gcore's 500 without its task", status, body)
	}
	if status, body := do(t, alibabaGet(t, strings.TrimPrefix(writable.URL, "http://"), "/v1/secrets/name/devfull/value", credentials.DevAlibabaKeyID, credentials.DevAlibabaSecret)); status != 200 || !bytes.Contains(body, []byte(ali.secrets[0])) {
		t.Errorf("the same read through the writable trail: %d %s", status, body)
	}
}
