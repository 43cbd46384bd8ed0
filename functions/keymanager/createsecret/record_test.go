package createsecret

import (
	"testing"
	"time"

	"keyport/shared/api/keymanager"
	"keyport/shared/store"
)

func TestRecordTimes(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC)
	req, err := decode([]byte(`{"expiration":"2030-01-02T03:04:05.1234567"}`), now, keymanager.K5)
	if err != nil {
		t.Fatal(err)
	}
	rec := req.record("t", "id", now, keymanager.K5)
	if want := time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC); !rec.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt: got %v, want %v (microseconds, as Barbican keeps it)", rec.ExpiresAt, want)
	}
	if !rec.CreatedAt.Equal(now) {
		t.Errorf("CreatedAt: got %v, want %v", rec.CreatedAt, now)
	}
	if got, want := rec.Attrs.String("expiration"), "2030-01-02T03:04:05.123456"; got != want {
		t.Errorf("expiration attr: got %q, want %q", got, want)
	}
	if got, want := rec.Ref, (store.Ref{Service: "k5-keymanager", Tenant: "t", Kind: "secret", ID: "id"}); got != want {
		t.Errorf("Ref: got %v, want %v", got, want)
	}
}
