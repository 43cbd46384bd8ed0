package tfreplay

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"testing"
	"time"

	"keyport/shared/credentials"
)

// GcoreSecret replays gcore_secret (terraform-provider-gcore gcore/resource_gcore_secret.go,
// commit a2d6715555e0) with GC-labs' requests (gcorelabscloud-go gcore/secret/v2/secrets,
// gcore/secret/v1/secrets, gcore/task/v1/tasks): create through v2, wait for the task, read
// through v1; import by project:region:id and read; delete through v1 and wait for the task,
// whose check is that the secret can no longer be read; then a refresh, whose read fails (the
// provider never drops a gcore_secret on 404: its read returns the error).
func GcoreSecret(t testing.TB, host string) {
	g := newGcore(t, host)
	pki := newCertificate(t)
	const expiration = "2031-05-06T07:08:09" // the provider's RFC3339NoZ form
	id := g.create("tf-certificate", pki, expiration)
	s := g.read(id)
	if s.Name != "tf-certificate" || s.Type != "certificate" || s.Status == "" || len(s.ContentTypes) == 0 {
		t.Fatalf("read after create: got %+v, want the certificate secret", s)
	}
	// The provider stores expiration as Format(RFC3339NoZ): anything else is a perpetual diff.
	if got := s.Expiration.Format("2006-01-02T15:04:05"); got != expiration {
		t.Fatalf("expiration reads back as %s, want %s", got, expiration)
	}
	if imported := g.read(id); imported.ID != id { // import: ImportStringParser, then Read
		t.Fatalf("import read: got id %q, want %q", imported.ID, id)
	}
	g.delete(id)
	if status := g.status("GET", g.secretPath(id), nil); status != http.StatusNotFound {
		t.Fatalf("read after delete: got %d, want 404", status)
	}
}

// GcoreSecretDataSource replays the gcore_secret data source
// (gcore/data_source_gcore_secret.go, commit a2d6715555e0): it lists every secret of the
// project and region through v1 (GC-labs secrets.ListAll, following links rel=next) and takes
// the first whose name equals its argument; no match is an error.
func GcoreSecretDataSource(t testing.TB, host string) {
	g := newGcore(t, host)
	pki := newCertificate(t)
	want := g.create("tf-data-wanted", pki, "")
	g.create("tf-data-other", pki, "")
	all := g.listAll()
	i := slices.IndexFunc(all, func(s gcoreSecret) bool { return s.Name == "tf-data-wanted" })
	if i < 0 || all[i].ID != want || all[i].Type != "certificate" {
		t.Fatalf("data source: got %+v, want the secret %s among them", all, want)
	}
	if slices.ContainsFunc(all, func(s gcoreSecret) bool { return s.Name == "tf-data-absent" }) {
		t.Fatal("data source found a name that was never created")
	}
	g.delete(want)
	if slices.ContainsFunc(g.listAll(), func(s gcoreSecret) bool { return s.ID == want }) {
		t.Fatal("data source still finds a deleted secret")
	}
}

// gcore sends GC-labs' requests: the APIKey scheme, JSON in and out.
type gcore struct {
	t      testing.TB
	base   string
	client *http.Client
}

const gcoreProject, gcoreRegion = credentials.DevGcoreProject, 76

func newGcore(t testing.TB, host string) gcore {
	return gcore{t: t, base: "http://" + host, client: &http.Client{Timeout: 30 * time.Second}}
}

func (g gcore) secretPath(id string) string {
	return fmt.Sprintf("/cloud/v1/secrets/%d/%d/%s", gcoreProject, gcoreRegion, id)
}

// do sends one request and returns the status and body; GC-labs' OkCodes are the caller's.
func (g gcore) do(method, path string, body any) (int, []byte) {
	g.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			g.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, g.base+path, r)
	if err != nil {
		g.t.Fatal(err)
	}
	req.Header.Set("Authorization", "APIKey "+credentials.DevGcoreAPIKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.client.Do(req)
	if err != nil {
		g.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (g gcore) status(method, path string, body any) int {
	status, _ := g.do(method, path, body)
	return status
}

// ok sends a request GC-labs accepts only with one of okCodes and decodes the answer into out.
func (g gcore) ok(method, path string, body, out any, okCodes ...int) {
	g.t.Helper()
	status, b := g.do(method, path, body)
	if !slices.Contains(okCodes, status) {
		g.t.Fatalf("%s %s: got %d %s, want one of %v", method, path, status, b, okCodes)
	}
	if err := json.Unmarshal(b, out); err != nil {
		g.t.Fatalf("%s %s: %s: %v", method, path, b, err)
	}
}

// create is resourceSecretCreate: the v2 POST (secretsV2.Create; expiration, when set, in
// RFC3339MilliNoZ), Tasks[0], then tasks.WaitTaskAndReturnResult with
// secrets.ExtractSecretIDFromTask.
func (g gcore) create(name string, c certificate, expiration string) string {
	g.t.Helper()
	body := map[string]any{"name": name, "payload": map[string]string{
		"certificate_chain": c.chain, "certificate": c.cert, "private_key": c.key}}
	if expiration != "" {
		exp, err := time.Parse("2006-01-02T15:04:05", expiration)
		if err != nil {
			g.t.Fatal(err)
		}
		body["expiration"] = exp.Format("2006-01-02T15:04:05.999999")
	}
	var res struct{ Tasks []string }
	g.ok("POST", fmt.Sprintf("/cloud/v2/secrets/%d/%d", gcoreProject, gcoreRegion), body, &res, 200, 201, 202)
	if len(res.Tasks) == 0 {
		g.t.Fatal("create: no task: the provider indexes Tasks[0]")
	}
	task := g.wait(res.Tasks[0])
	secrets, _ := task.CreatedResources["secrets"].([]any)
	id, _ := firstOr(secrets).(string)
	if id == "" {
		g.t.Fatalf("create task %+v: empty secrets in task structure", task)
	}
	return id
}

// delete is resourceSecretDelete: the v1 DELETE, Tasks[0], then the wait, whose check is a GET
// of the secret that must fail.
func (g gcore) delete(id string) {
	g.t.Helper()
	var res struct{ Tasks []string }
	g.ok("DELETE", g.secretPath(id), nil, &res, 200, 202, 204)
	if len(res.Tasks) == 0 {
		g.t.Fatal("delete: no task: the provider indexes Tasks[0]")
	}
	g.wait(res.Tasks[0])
	if status := g.status("GET", g.secretPath(id), nil); status == http.StatusOK {
		g.t.Fatalf("cannot delete secret with ID: %s (still readable after its task finished)", id)
	}
}

// gcoreTask is GC-labs' tasks.Task as far as the provider reads it. created_on is parsed with
// GC-labs' layout, which has no zone and no fraction.
type gcoreTask struct {
	ID               string         `json:"id"`
	State            string         `json:"state"`
	CreatedOn        string         `json:"created_on"`
	Error            *string        `json:"error"`
	CreatedResources map[string]any `json:"created_resources"`
}

// wait is tasks.WaitTaskAndReturnResult: GET the task until FINISHED, failing on ERROR.
func (g gcore) wait(id string) gcoreTask {
	g.t.Helper()
	for i := 0; i < 10; i++ {
		var task gcoreTask
		g.ok("GET", "/cloud/v1/tasks/"+id, nil, &task, 200)
		if _, err := time.Parse("2006-01-02T15:04:05", task.CreatedOn); err != nil || task.ID != id {
			g.t.Fatalf("task %s: created_on %q or id %q unreadable by GC-labs", id, task.CreatedOn, task.ID)
		}
		switch task.State {
		case "FINISHED":
			return task
		case "ERROR":
			g.t.Fatalf("task %s ended in ERROR: %v", id, task.Error)
		}
		time.Sleep(100 * time.Millisecond)
	}
	g.t.Fatalf("task %s did not finish", id)
	return gcoreTask{}
}

// gcoreSecret is GC-labs' secrets.Secret: secret_type must be one of its six types, and the
// times parse as JSONRFC3339ZColon (an empty or null time is the zero time).
type gcoreSecret struct {
	ID           string
	Name         string
	Status       string
	Type         string
	BitLength    int
	ContentTypes map[string]string
	Created      time.Time
	Expiration   time.Time
}

func (s *gcoreSecret) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID           string            `json:"id"`
		Name         string            `json:"name"`
		Status       string            `json:"status"`
		Algorithm    string            `json:"algorithm"`
		BitLength    int               `json:"bit_length"`
		Mode         string            `json:"mode"`
		Type         string            `json:"secret_type"`
		ContentTypes map[string]string `json:"content_types"`
		Created      *string           `json:"created"`
		Expiration   *string           `json:"expiration"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if !slices.Contains([]string{"symmetric", "public", "private", "passphrase", "certificate", "opaque"}, raw.Type) {
		return fmt.Errorf("invalid SecretType type: %v", raw.Type)
	}
	*s = gcoreSecret{ID: raw.ID, Name: raw.Name, Status: raw.Status, Type: raw.Type, BitLength: raw.BitLength, ContentTypes: raw.ContentTypes}
	var err error
	if s.Created, err = zColon(raw.Created); err != nil {
		return err
	}
	s.Expiration, err = zColon(raw.Expiration)
	return err
}

// zColon is GC-labs' JSONRFC3339ZColon: 2006-01-02T15:04:05-07:00, or with Z.
func zColon(v *string) (time.Time, error) {
	if v == nil || *v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05-07:00", *v)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04:05Z", *v)
	}
	return t, err
}

// read is resourceSecretRead: secrets.Get, any error fatal.
func (g gcore) read(id string) gcoreSecret {
	g.t.Helper()
	var s gcoreSecret
	g.ok("GET", g.secretPath(id), nil, &s, 200)
	return s
}

// listAll is secrets.ListAll: the first page at the bare list URL, then each links rel=next.
func (g gcore) listAll() []gcoreSecret {
	g.t.Helper()
	var all []gcoreSecret
	next := fmt.Sprintf("/cloud/v1/secrets/%d/%d", gcoreProject, gcoreRegion)
	for pages := 0; next != ""; pages++ {
		if pages == 100 {
			g.t.Fatal("list: more than 100 pages")
		}
		var page struct {
			Results []gcoreSecret
			Links   []struct{ Href, Rel string }
		}
		g.ok("GET", next, nil, &page, 200)
		all = append(all, page.Results...)
		next = ""
		for _, l := range page.Links {
			if l.Rel == "next" {
				next = l.Href
			}
		}
	}
	return all
}

func firstOr(s []any) any {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}

// certificate is a PEM certificate, its issuing CA and its private key, as a Terraform
// configuration would hold them (file("cert.pem") and so on).
type certificate struct{ cert, chain, key string }

func newCertificate(t testing.TB) certificate {
	t.Helper()
	caKey, err1 := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key, err2 := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tfreplay CA"}, IsCA: true,
		BasicConstraintsValid: true, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "lb.tfreplay.example"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	enc := func(typ string, b []byte) string { return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b})) }
	return certificate{cert: enc("CERTIFICATE", der), chain: enc("CERTIFICATE", caDER), key: enc("PRIVATE KEY", p8)}
}
