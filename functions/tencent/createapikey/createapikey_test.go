package createapikey

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"keyport/shared/testkit"

	"keyport/shared/api/tencent/apikey"
	"keyport/shared/api/tencent/tencenttest"
	"keyport/shared/credentials"
	"keyport/shared/fault"
	"keyport/shared/seal"
	"keyport/shared/store"
)

// TestRules has one case per request rule: the exact code, HTTP 200 application/json (checked
// by tencenttest.Serve), and for refusals an empty store and no seal.
func TestRules(t *testing.T) {
	manual := func(id, secret string) string {
		return `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"` + id + `","AccessKeySecret":"` + secret + `"}`
	}
	tags := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"Key":"k` + strings.Repeat("x", i) + `","Value":"v"}`)
		}
		return `{"SecretName":"n","Tags":[` + b.String() + `]}`
	}
	tests := []struct {
		name, body, wantCode, golden string
	}{
		// Accepted.
		{"manual with tags", `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"my_key_secret_1","Tags":[{"Key":"k","Value":"v"}]}`, "", "manual"},
		{"manual at lower bounds", manual("abc_5", "abcdefgh_0"), "", ""},
		{"manual at upper bounds", manual(strings.Repeat("A", 50), strings.Repeat("z", 50)), "", ""},
		{"auto by default", `{"SecretName":"n"}`, "", ""},
		{"manual without tags", manual("abcde", "abcdefghij"), "", "manual-no-tags"},
		{"auto explicitly", `{"SecretName":"n","AccessKeyType":"auto"}`, "", ""},
		{"SecretName of 60 non-ASCII characters", `{"SecretName":"` + strings.Repeat("密", 60) + `"}`, "", ""},
		{"50 tags", tags(50), "", ""},
		{"tag with empty value", `{"SecretName":"n","Tags":[{"Key":"k","Value":""}]}`, "", ""},
		// SecretName.
		{"no SecretName", `{}`, "MissingParameter", "missing-secretname"},
		{"null SecretName", `{"SecretName":null}`, "MissingParameter", ""},
		{"empty SecretName", `{"SecretName":""}`, "MissingParameter", ""},
		{"SecretName of 61 characters", `{"SecretName":"` + strings.Repeat("n", 61) + `"}`, "InvalidParameter.FormatError", "long-secretname"},
		{"SecretName with a control character", `{"SecretName":"a\nb"}`, "InvalidParameter.FormatError", ""},
		// SecretName: one rule for blank and invisible characters (apikey.CheckSecretName).
		{"SecretName a space", `{"SecretName":" "}`, "InvalidParameter.FormatError", "blank-secretname"},
		{"SecretName spaces", `{"SecretName":"   "}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+3000 ideographic space", `{"SecretName":"\u3000"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+00A0 no-break space", `{"SecretName":"\u00a0"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+2028 line separator", `{"SecretName":"\u2028"}`, "InvalidParameter.FormatError", "invisible-secretname"},
		{"SecretName U+2028 inside", `{"SecretName":"a\u2028b"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+2029 inside", `{"SecretName":"a\u2029b"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+200B zero-width space", `{"SecretName":"\u200b"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+200B inside", `{"SecretName":"a\u200bb"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+FEFF inside", `{"SecretName":"a\ufeffb"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+202E right-to-left override", `{"SecretName":"a\u202eb"}`, "InvalidParameter.FormatError", ""},
		{"SecretName a tab", `{"SecretName":"\t"}`, "InvalidParameter.FormatError", ""},
		{"SecretName a tab inside", `{"SecretName":"a\tb"}`, "InvalidParameter.FormatError", ""},
		{"SecretName U+0085 next line", `{"SecretName":"a\u0085b"}`, "InvalidParameter.FormatError", ""},
		{"SecretName with inner white space", `{"SecretName":"my key\u3000密钥\u00a0n"}`, "", ""},
		{"SecretName with outer spaces", `{"SecretName":" n "}`, "", ""},
		// AccessKeyType.
		{"AccessKeyType in other case", `{"SecretName":"n","AccessKeyType":"Manual"}`, "InvalidParameter.FormatError", "bad-type"},
		{"AccessKeyType unknown", `{"SecretName":"n","AccessKeyType":"custom"}`, "InvalidParameter.FormatError", ""},
		// Manual key.
		{"manual without AccessKeyId", `{"SecretName":"n","AccessKeyType":"manual","AccessKeySecret":"abcdefghij"}`, "MissingParameter", "missing-accesskeyid"},
		{"manual without AccessKeySecret", `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"abcde"}`, "MissingParameter", ""},
		{"AccessKeyId of 4", manual("abcd", "abcdefghij"), "InvalidParameter.FormatError", ""},
		{"AccessKeyId of 51", manual(strings.Repeat("a", 51), "abcdefghij"), "InvalidParameter.FormatError", ""},
		{"AccessKeyId with a hyphen", manual("ab-cde", "abcdefghij"), "InvalidParameter.FormatError", "bad-accesskeyid"},
		{"AccessKeyId non-ASCII", manual("abcdé", "abcdefghij"), "InvalidParameter.FormatError", ""},
		{"AccessKeySecret of 9", manual("abcde", "abcdefghi"), "InvalidParameter.FormatError", ""},
		{"AccessKeySecret of 51", manual("abcde", strings.Repeat("a", 51)), "InvalidParameter.FormatError", ""},
		{"AccessKeySecret with a space", manual("abcde", "abcde fghij"), "InvalidParameter.FormatError", ""},
		// Auto key.
		{"auto with AccessKeyId", `{"SecretName":"n","AccessKeyId":"abcde"}`, "InvalidParameter.FormatError", "auto-with-id"},
		{"auto with AccessKeySecret", `{"SecretName":"n","AccessKeyType":"auto","AccessKeySecret":"abcdefghij"}`, "InvalidParameter.FormatError", ""},
		// Tags.
		{"51 tags", tags(51), "InvalidParameter.FormatError", ""},
		{"tag without Key", `{"SecretName":"n","Tags":[{"Value":"v"}]}`, "MissingParameter", ""},
		{"tag Key of 128", `{"SecretName":"n","Tags":[{"Key":"` + strings.Repeat("k", 128) + `"}]}`, "InvalidParameter.FormatError", ""},
		{"tag Value of 256", `{"SecretName":"n","Tags":[{"Key":"k","Value":"` + strings.Repeat("v", 256) + `"}]}`, "InvalidParameter.FormatError", ""},
		{"tag Key with a control character", `{"SecretName":"n","Tags":[{"Key":"k\u0000"}]}`, "InvalidParameter.FormatError", ""},
		{"repeated tag Key", `{"SecretName":"n","Tags":[{"Key":"k"},{"Key":"k"}]}`, "InvalidParameter.FormatError", "repeated-tag"},
		// Decoding.
		{"not JSON", `{"SecretName":"n"`, "InvalidParameter", "not-json"},
		{"unknown parameter", `{"SecretName":"n","Region":"ap-guangzhou"}`, "UnknownParameter", "unknown-parameter"},
		{"unknown tag field", `{"SecretName":"n","Tags":[{"Key":"k","Colour":"red"}]}`, "UnknownParameter", ""},
		{"SecretName not a string", `{"SecretName":1}`, "InvalidParameter", "wrong-type"},
		{"Tags not an array", `{"SecretName":"n","Tags":{"Key":"k"}}`, "InvalidParameter", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			w, code := e.serve(t, signed(tt.body).HTTP(t))
			if code != tt.wantCode {
				t.Fatalf("got code %q, want %q (body %s)", code, tt.wantCode, w.Body)
			}
			if tt.golden != "" {
				tencenttest.Golden(t, filepath.Join("testdata", tt.golden+".json"), tencenttest.Normalise(w.Body.Bytes()))
			}
			if tt.wantCode != "" {
				e.assertNothingStored(t)
				e.AssertNotSealed(t)
			}
		})
	}
}

var alnum = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// TestAuto checks the generated key pair and the whole ApiKey result.
func TestAuto(t *testing.T) {
	e := newEnv(t, 0)
	w, code := e.serve(t, signed(`{"SecretName":"test","Tags":[{"Key":"k","Value":"v"}]}`).HTTP(t))
	if code != "" {
		t.Fatalf("got code %q, want success (body %s)", code, w.Body)
	}
	var got struct {
		Response struct{ Result apikey.APIKey }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	k := got.Response.Result
	if !strings.HasPrefix(k.AccessKeyID, "AKID") || len(k.AccessKeyID) != 40 || !alnum.MatchString(k.AccessKeyID) {
		t.Errorf("got AccessKeyId %q, want AKID and 36 letters or digits", k.AccessKeyID)
	}
	if len(k.AccessKeySecret) != 40 || !alnum.MatchString(k.AccessKeySecret) {
		t.Errorf("got an AccessKeySecret of %d characters, want 40 letters or digits", len(k.AccessKeySecret))
	}
	want := apikey.APIKey{AccessKeyID: k.AccessKeyID, AccessKeySecret: k.AccessKeySecret, AccessKeyType: "auto", SecretName: "test",
		Status: 1, CreatedTime: "2020-02-26T06:10:01Z", ModifiedTime: "2020-02-26T06:10:01Z", Tags: []apikey.Tag{{Key: "k", Value: "v"}}}
	if k.AccessKeyType != want.AccessKeyType || k.SecretName != want.SecretName || k.Status != 1 ||
		k.CreatedTime != want.CreatedTime || k.ModifiedTime != want.ModifiedTime || len(k.Tags) != 1 || k.Tags[0] != want.Tags[0] {
		t.Errorf("got %+v, want %+v", k, want)
	}
	if n, _ := e.Store.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount)); n != 1 {
		t.Errorf("got key count %d, want 1", n)
	}
}

// TestStoredRecord checks the record's fields, that its blob opens back to the secret only
// under its own scope and key, and that the secret appears nowhere in the record or the file.
func TestStoredRecord(t *testing.T) {
	const secret = "my_key_secret_1"
	e := newEnv(t, 0)
	_, code := e.serve(t, signed(`{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"my_key_id","AccessKeySecret":"`+secret+`","Tags":[{"Key":"k","Value":"v"}]}`).HTTP(t))
	if code != "" {
		t.Fatalf("got code %q, want success", code)
	}
	ctx := context.Background()
	ref := apikey.RecordRef(credentials.DevTencentAccount, "my_key_id")
	rec, err := e.Store.Get(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs := store.Attrs{"SecretName": "n", "AccessKeyType": "manual", "Status": "1",
		"CreatedTime": "2020-02-26T06:10:01Z", "ModifiedTime": "2020-02-26T06:10:01Z", "Tags": `[{"Key":"k","Value":"v"}]`}
	for k, v := range wantAttrs {
		if rec.Attrs[k] != v {
			t.Errorf("got Attrs[%s] %v, want %q", k, rec.Attrs[k], v)
		}
	}
	if rec.Tenant != credentials.DevTencentAccount || rec.Service != apikey.Service || !rec.CreatedAt.Equal(now) {
		t.Errorf("got tenant %q service %q created %v, want %q %q %v", rec.Tenant, rec.Service, rec.CreatedAt, credentials.DevTencentAccount, apikey.Service, now)
	}
	scope := seal.Scope{Service: apikey.Service, Tenant: credentials.DevTencentAccount}
	if got, err := e.Sealer.Open(ctx, scope, ref.AAD(), rec.Sealed); err != nil || string(got) != secret {
		t.Errorf("Open: got %q, %v; want the secret, nil", got, err)
	}
	if _, err := e.Sealer.Open(ctx, seal.Scope{Service: apikey.Service, Tenant: "other"}, ref.AAD(), rec.Sealed); err == nil {
		t.Error("Open under another tenant: got nil error, want a failure")
	}
	if _, err := e.Sealer.Open(ctx, scope, apikey.RecordRef(credentials.DevTencentAccount, "other_id").AAD(), rec.Sealed); err == nil {
		t.Error("Open under another record's ref: got nil error, want a failure")
	}
	e.AssertNoPlaintext(t, rec.Sealed, rec.Attrs, secret)
}

// limitRecorder passes transactions to a real store and remembers the last counter limit.
type limitRecorder struct {
	store.Store
	limit int64
}

func (l *limitRecorder) Apply(ctx context.Context, tx store.Tx) error {
	l.limit = tx[actionCount].Count.Limit
	return l.Store.Apply(ctx, tx)
}

// TestKeyLimitDefault checks that KeyLimit 0 or less means apikey.DefaultKeyLimit in the counter.
func TestKeyLimitDefault(t *testing.T) {
	for _, tt := range []struct{ in, want int64 }{{0, apikey.DefaultKeyLimit}, {-1, apikey.DefaultKeyLimit}, {7, 7}} {
		e := newEnv(t, tt.in)
		rec := &limitRecorder{Store: e.Store}
		e.deps.Store = rec
		e.h = Row.Serve(e.deps)
		if _, code := e.serve(t, signed(`{"SecretName":"n"}`).HTTP(t)); code != "" {
			t.Fatalf("got code %q, want success", code)
		}
		if rec.limit != tt.want {
			t.Errorf("KeyLimit %d: got counter limit %d, want %d", tt.in, rec.limit, tt.want)
		}
	}
}

// TestDuplicateAndLimit checks a duplicate AccessKeyId and the per-account limit.
func TestDuplicateAndLimit(t *testing.T) {
	e := newEnv(t, 2)
	body := func(id string) string {
		return `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"` + id + `","AccessKeySecret":"abcdefghij"}`
	}
	steps := []struct{ id, wantCode string }{
		{"key_one", ""},
		{"key_one", "FailedOperation.AccessKeyExist"},
		{"key_two", ""},
		{"key_three", "LimitExceeded.ApiKeyCountLimitExceeded"},
	}
	for _, s := range steps {
		w, code := e.serve(t, signed(body(s.id)).HTTP(t))
		if code != s.wantCode {
			t.Fatalf("%s: got code %q, want %q (body %s)", s.id, code, s.wantCode, w.Body)
		}
		if s.wantCode != "" {
			tencenttest.Golden(t, filepath.Join("testdata", strings.ToLower(strings.Split(s.wantCode, ".")[1])+".json"), tencenttest.Normalise(w.Body.Bytes()))
		}
	}
	if n, _ := e.Store.CountRecords(context.Background()); n != 2 {
		t.Errorf("got %d records, want 2", n)
	}
	if n, _ := e.Store.CounterValue(context.Background(), apikey.CounterRef(credentials.DevTencentAccount)); n != 2 {
		t.Errorf("got key count %d, want 2", n)
	}
}

// TestServerFaults checks that a failing sealer or store gives InternalError with a generic
// message that does not echo the cause, and stores nothing.
func TestServerFaults(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(e *env)
	}{
		{"sealer fails", func(e *env) { e.Seals.Err = testkit.ErrInjected }},
		{"store fails", func(e *env) { e.deps.Store = testkit.FailingStore{Err: testkit.ErrInjected}; e.h = Row.Serve(e.deps) }},
		{"store reports an unexpected conflict", func(e *env) {
			e.deps.Store = testkit.FailingStore{Err: &store.Conflict{Action: actionPut, Claim: -1, Reason: store.Missing}}
			e.h = Row.Serve(e.deps)
		}},
		{"store reports a client-looking fault", func(e *env) {
			e.deps.Store = testkit.FailingStore{Err: fault.New(fault.NotFound, "x", "gone")}
			e.h = Row.Serve(e.deps)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, 0)
			tt.mutate(e)
			w, code := e.serve(t, signed(`{"SecretName":"n"}`).HTTP(t))
			if code != "InternalError" {
				t.Errorf("got code %q, want InternalError", code)
			}
			if strings.Contains(w.Body.String(), "10.0.0.1") || strings.Contains(w.Body.String(), apikey.Service) {
				t.Errorf("body %s echoes the cause", w.Body)
			}
			e.assertNothingStored(t)
		})
	}
}

// TestAccessKeyIDAcrossAccounts checks that an AccessKeyId is unique across accounts: another
// account's create of the same id is refused, and counts nothing against that account.
func TestAccessKeyIDAcrossAccounts(t *testing.T) {
	e := newEnv(t, 0)
	book, err := credentials.FromDocument(credentials.Document{Tencent: []credentials.SigningKey{
		{ID: credentials.DevTencentSecretID, Secret: credentials.DevTencentSecretKey, Account: credentials.DevTencentAccount},
		{ID: "AKIDother", Secret: "otherSecretKey", Account: "200000000002"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.deps.Creds = book
	e.h = Row.Serve(e.deps)
	body := `{"SecretName":"n","AccessKeyType":"manual","AccessKeyId":"shared_id","AccessKeySecret":"abcdefghij"}`
	if _, code := e.serve(t, signed(body).HTTP(t)); code != "" {
		t.Fatalf("first account: got code %q, want success", code)
	}
	other := signed(body)
	other.SecretID, other.SecretKey = "AKIDother", "otherSecretKey"
	if _, code := e.serve(t, other.HTTP(t)); code != "FailedOperation.AccessKeyExist" {
		t.Errorf("second account: got code %q, want FailedOperation.AccessKeyExist", code)
	}
	if n, _ := e.Store.CounterValue(context.Background(), apikey.CounterRef("200000000002")); n != 0 {
		t.Errorf("second account's key count: got %d, want 0", n)
	}
	if n, _ := e.Store.CountRecords(context.Background()); n != 1 {
		t.Errorf("got %d records, want 1", n)
	}
}
