package lambdaapp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"keyport/shared/audit"
	"keyport/shared/credentials"
	"keyport/shared/motoserver"
)

// newTestLogger is the production logger's format aimed at w.
func newTestLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

// testApp is an App on a refreshed development document (doc), logging to logs and auditing to
// trail.
func testApp(t *testing.T, logs, trail io.Writer) *App {
	t.Helper()
	ref, err := credentials.NewRefresher(context.Background(), func(context.Context) ([]byte, error) {
		return []byte(doc("AKIDx", "k")), nil
	}, DefaultCredentialsTTL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &App{Creds: ref.Book(), Logger: newTestLogger(logs), Audit: audit.NewWriter(trail), refresher: ref}
}

// doc returns a credentials document with one Tencent key.
func doc(id, secret string) string {
	return `{"tencent":[{"secretId":"` + id + `","secretKey":"` + secret + `","account":"100000000001"}]}`
}

// newSecret creates a uniquely named secret holding value in moto and returns its ARN.
func newSecret(t *testing.T, sm *secretsmanager.Client, value string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	out, err := sm.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{
		Name: aws.String("keyport-test-" + hex.EncodeToString(b[:])), SecretString: aws.String(value)})
	if err != nil {
		t.Fatalf("create secret: %v", err)
	}
	return *out.ARN
}

func TestOpen(t *testing.T) {
	ep := motoserver.Start(t)
	awsCfg := motoserver.AWSConfig(ep)
	sm := secretsmanager.NewFromConfig(awsCfg)
	good := newSecret(t, sm, doc("AKIDgood", "s3cretKeyValue"))
	broken := newSecret(t, sm, `{"tencent": [ x-leaked-secret-char ]}`)
	empty := newSecret(t, sm, `{"tencent":[{"secretId":"AKIDx","secretKey":"","account":"1"}]}`)
	key, err := kms.NewFromConfig(awsCfg).CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		cfg        Config
		wantErr    string // substring; "" means success
		wantSealer bool
	}{
		{"all set", Config{Table: "t", KMSKeyID: *key.KeyMetadata.Arn, CredentialsSecretARN: good}, "", true},
		{"read-only function without a KMS key", Config{Table: "t", CredentialsSecretARN: good, NoKMS: true}, "", false},
		{"sealing function without a KMS key", Config{Table: "t", CredentialsSecretARN: good}, "no KMS key", false},
		{"no table", Config{CredentialsSecretARN: good, NoKMS: true}, "no DynamoDB table", false},
		{"no secret", Config{Table: "t", NoKMS: true}, "no credentials secret", false},
		{"secret missing", Config{Table: "t", CredentialsSecretARN: good + "-gone", NoKMS: true}, "GetSecretValue", false},
		{"secret not JSON", Config{Table: "t", CredentialsSecretARN: broken, NoKMS: true}, "syntax error at byte", false},
		{"secret with an empty key", Config{Table: "t", CredentialsSecretARN: empty, NoKMS: true}, "lacks secretId, secretKey", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, err := openChecked(context.Background(), tt.cfg, awsCfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "x-leaked") || strings.Contains(err.Error(), "'x'") {
					t.Errorf("got error %q quoting the document, want it redacted", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if _, ok := app.Creds.Tencent("AKIDgood"); !ok {
				t.Errorf("got AKIDgood unknown, want it loaded from the secret")
			}
			if (app.Sealer != nil) != tt.wantSealer || app.Store == nil {
				t.Errorf("got sealer %v store %v, want sealer %v and a store", app.Sealer != nil, app.Store != nil, tt.wantSealer)
			}
		})
	}
}

// openChecked is Open's validation plus open, with moto's configuration.
func openChecked(ctx context.Context, cfg Config, awsCfg aws.Config) (*App, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return open(ctx, cfg, awsCfg)
}

func TestOpenUsesTheDefaultChain(t *testing.T) {
	ep := motoserver.Start(t)
	arn := newSecret(t, secretsmanager.NewFromConfig(motoserver.AWSConfig(ep)), doc("AKIDenv", "k"))
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": ep, "AWS_REGION": "us-east-1",
		"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_PROFILE": "", "AWS_CONFIG_FILE": "/dev/null"} {
		t.Setenv(k, v)
	}
	app, err := Open(context.Background(), Config{Table: "t", CredentialsSecretARN: arn, NoKMS: true})
	if err != nil {
		t.Fatalf("got error %v, want Open to reach moto through AWS_ENDPOINT_URL", err)
	}
	if _, ok := app.Creds.Tencent("AKIDenv"); !ok {
		t.Errorf("got AKIDenv unknown, want it loaded")
	}
}

func TestHandlerRefreshesCredentials(t *testing.T) {
	ep := motoserver.Start(t)
	awsCfg := motoserver.AWSConfig(ep)
	sm := secretsmanager.NewFromConfig(awsCfg)
	arn := newSecret(t, sm, doc("AKIDold", "oldS3kr1t"))
	// A TTL of 1ns reloads on every request, so the test needs no clock.
	app, err := open(context.Background(), Config{Table: "t", CredentialsSecretARN: arn, CredentialsTTL: time.Nanosecond}, awsCfg)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	app.Logger, app.Audit = newTestLogger(&logs), audit.NewWriter(io.Discard)
	h := app.Handler("test.Op", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := app.Creds.Tencent(r.Header.Get("X-Id")); !ok {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	ask := func(id string) int {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("X-Id", id)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	put := func(value string) {
		if _, err := sm.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{
			SecretId: aws.String(arn), SecretString: aws.String(value)}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name     string
		change   func()
		id       string
		wantCode int
		wantWarn bool
	}{
		{"initial document", func() {}, "AKIDold", 200, false},
		{"rotated: new key accepted", func() { put(doc("AKIDnew", "newS3kr1t")) }, "AKIDnew", 200, false},
		{"rotated: old key refused", func() {}, "AKIDold", 401, false},
		{"broken document keeps the last good one", func() { put(`{"tencent":[{"secretId": newS3kr1t`) }, "AKIDnew", 200, true},
		{"deleted secret keeps the last good one", func() {
			if _, err := sm.DeleteSecret(context.Background(), &secretsmanager.DeleteSecretInput{
				SecretId: aws.String(arn), ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
				t.Fatal(err)
			}
		}, "AKIDnew", 200, true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			logs.Reset()
			s.change()
			if got := ask(s.id); got != s.wantCode {
				t.Errorf("got status %d for %s, want %d", got, s.id, s.wantCode)
			}
			line := logs.String()
			if warned := strings.Contains(line, "credentials refresh failed"); warned != s.wantWarn {
				t.Errorf("got refresh warning %v, want %v; log: %s", warned, s.wantWarn, line)
			}
			if !strings.Contains(line, `"op":"test.Op"`) || !strings.Contains(line, `"request_id"`) {
				t.Errorf("got log %s, want the request line with op and request id", line)
			}
			if strings.Contains(line, "S3kr1t") {
				t.Errorf("got log %s, want no part of the credentials document", line)
			}
		})
	}
}

func TestReportInitError(t *testing.T) {
	var gotPath, gotType, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := new(bytes.Buffer)
		b.ReadFrom(r.Body)
		gotPath, gotType, gotBody = r.URL.Path, r.Header.Get("Lambda-Runtime-Function-Error-Type"), b.String()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	reportInitError(context.Background(), strings.TrimPrefix(srv.URL, "http://"), errNoValue)
	if gotPath != "/2018-06-01/runtime/init/error" || gotType != initErrorType {
		t.Errorf("got POST %q type %q, want /2018-06-01/runtime/init/error type %q", gotPath, gotType, initErrorType)
	}
	if want := `{"errorMessage":"the credentials secret has no value","errorType":"Keyport.ColdStartFailed"}`; gotBody != want {
		t.Errorf("got body %s, want %s", gotBody, want)
	}
}
