package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

const doc = `{
 "tencent": [{"secretId": "AKIDa", "secretKey": "ska", "account": "100"}],
 "alibaba": [{"accessKeyId": "LTAIa", "accessKeySecret": "sa", "account": "200"}],
 "gcore":   [{"apiKey": "tok-1", "projects": [1, 2], "regions": [76]}, {"apiKey": "tok-2", "projects": [3]}],
 "k5":      [{"token": "k5tok", "tenant": "t1"}]
}`

func TestParseAndLookups(t *testing.T) {
	b, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := b.Tencent("AKIDa"); !ok || k.Secret != "ska" || k.Account != "100" {
		t.Errorf("Tencent(AKIDa) = %+v, %v; want secret ska account 100", k, ok)
	}
	if _, ok := b.Tencent("AKIDb"); ok {
		t.Error("Tencent(AKIDb) found; want not found")
	}
	if k, ok := b.Alibaba("LTAIa"); !ok || k.Secret != "sa" || k.Account != "200" {
		t.Errorf("Alibaba(LTAIa) = %+v, %v", k, ok)
	}
	tests := []struct {
		token           string
		project, region int64
		found, allowed  bool
	}{
		{"tok-1", 1, 76, true, true},
		{"tok-1", 2, 76, true, true},
		{"tok-1", 1, 77, true, false}, // region not granted
		{"tok-1", 3, 76, true, false}, // project not granted
		{"tok-2", 3, 999, true, true}, // no regions listed: any region
		{"tok-3", 1, 76, false, false},
		{"", 1, 76, false, false},
	}
	for _, tt := range tests {
		g, ok := b.Gcore(tt.token)
		if ok != tt.found || (ok && g.Allows(tt.project, tt.region) != tt.allowed) {
			t.Errorf("Gcore(%q) project %d region %d: got found=%v allowed=%v, want %v %v",
				tt.token, tt.project, tt.region, ok, ok && g.Allows(tt.project, tt.region), tt.found, tt.allowed)
		}
	}
	if k, ok := b.K5("k5tok"); !ok || k.Tenant != "t1" {
		t.Errorf("K5(k5tok) = %+v, %v", k, ok)
	}
	if _, ok := b.K5("k5to"); ok {
		t.Error("K5 prefix of a token matched")
	}
}

func TestParseRefusesIncompleteEntries(t *testing.T) {
	for _, bad := range []string{
		`{"tencent":[{"secretId":"a","secretKey":"","account":"1"}]}`,
		`{"alibaba":[{"accessKeyId":"a","accessKeySecret":"s"}]}`,
		`{"gcore":[{"apiKey":"t","projects":[]}]}`,
		`{"k5":[{"token":"","tenant":"t"}]}`,
		`not json`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) = nil error; want refusal", bad)
		}
	}
}

func TestDevBook(t *testing.T) {
	b := Dev()
	if k, ok := b.Tencent(DevTencentSecretID); !ok || k.Secret != DevTencentSecretKey {
		t.Error("dev Tencent key missing")
	}
	if g, ok := b.Gcore(DevGcoreAPIKey); !ok || !g.Allows(DevGcoreProject, 12345) {
		t.Error("dev Gcore key should reach project 1 in any region")
	}
	if k, ok := b.K5(DevK5Token); !ok || k.Tenant != DevK5Tenant {
		t.Error("dev K5 token missing")
	}
}

func TestRefresherReloadsAfterTTLAndKeepsOldOnFailure(t *testing.T) {
	now := time.Unix(1000, 0)
	clock := func() time.Time { return now }
	docs := []string{
		`{"k5":[{"token":"old","tenant":"t"}]}`,
		`{"k5":[{"token":"new","tenant":"t"}]}`,
	}
	calls, fail := 0, false
	fetch := func(context.Context) ([]byte, error) {
		if fail {
			return nil, errors.New("secrets manager down")
		}
		d := docs[min(calls, len(docs)-1)]
		calls++
		return []byte(d), nil
	}
	r, err := NewRefresher(context.Background(), fetch, time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	book := r.Book()
	ctx := context.Background()
	now = now.Add(30 * time.Second)
	if err := r.Refresh(ctx); err != nil || calls != 1 {
		t.Fatalf("refresh inside TTL: err %v, fetches %d; want none", err, calls)
	}
	if _, ok := book.K5("old"); !ok {
		t.Fatal("old token should still work inside the TTL")
	}
	now = now.Add(time.Minute)
	if err := r.Refresh(ctx); err != nil || calls != 2 {
		t.Fatalf("refresh after TTL: err %v, fetches %d; want 2", err, calls)
	}
	if _, ok := book.K5("new"); !ok {
		t.Error("the same *Book should see the rotated token")
	}
	if _, ok := book.K5("old"); ok {
		t.Error("the rotated-out token still works")
	}
	fail = true
	now = now.Add(2 * time.Minute)
	if err := r.Refresh(ctx); err == nil {
		t.Error("a failed fetch should be reported")
	}
	if _, ok := book.K5("new"); !ok {
		t.Error("a failed reload must keep the previous credentials")
	}
}

func TestParseErrorsDoNotQuoteTheDocument(t *testing.T) {
	for _, bad := range []string{
		`{"tencent":[{"secretId":"a","secretKey":"Zq` + "\x01" + `"}]}`,
		`{"k5":[{"token":"Zq9","tenant":5}]}`,
		`{"gcore":[{"apiKey":"Zq9` + "`" + `}`,
	} {
		_, err := Parse([]byte(bad))
		if err == nil {
			t.Fatalf("Parse(%q) accepted", bad)
		}
		if strings.Contains(err.Error(), "Zq") || strings.Contains(err.Error(), "\x01") || strings.Contains(err.Error(), "`") {
			t.Errorf("error quotes the document: %v", err)
		}
	}
}
