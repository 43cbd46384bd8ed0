package gcoresecret_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/api/gcore/gcoresecret"
	"keyport/shared/store"
)

func TestRecordRoundTrip(t *testing.T) {
	scope := gcore.Scope{Project: 5, Region: 76}
	tests := []gcoresecret.Secret{
		{ID: "u1", Name: "n", SecretType: "opaque", PayloadContentType: "text/plain", Created: time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)},
		{ID: "u2", Name: "AES key", SecretType: "symmetric", PayloadContentType: "application/octet-stream", Algorithm: "aes", Mode: "cbc",
			BitLength: 256, Created: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Expiration: time.Date(2031, 1, 1, 0, 0, 0, 180394000, time.UTC)},
	}
	for _, s := range tests {
		t.Run(s.ID, func(t *testing.T) {
			rec := s.Record(scope)
			if rec.Ref != gcoresecret.Ref(scope, s.ID) || !rec.ExpiresAt.Equal(s.Expiration) || rec.Sealed != nil {
				t.Fatalf("record: got ref %v expires %v", rec.Ref, rec.ExpiresAt)
			}
			if err := store.CheckAttrs(rec.Attrs); err != nil {
				t.Fatal(err)
			}
			for _, absent := range []string{"algorithm", "mode", "bit_length", "expiration"} {
				if _, ok := rec.Attrs[absent]; ok != (s.ID == "u2") {
					t.Errorf("attr %s present: %v", absent, ok)
				}
			}
			got, err := gcoresecret.FromRecord(rec)
			if err != nil || !reflect.DeepEqual(got, s) {
				t.Fatalf("got %+v, %v; want %+v", got, err, s)
			}
		})
	}
}

func TestFromRecordRefusesDamage(t *testing.T) {
	base := gcoresecret.Secret{ID: "x", Name: "n", SecretType: "opaque", Created: time.Now(), Expiration: time.Now().Add(time.Hour)}.Record(gcore.Scope{Project: 1, Region: 1})
	for attr, v := range map[string]any{"created": "yesterday", "name": "", "secret_type": "", "expiration": "soon"} {
		t.Run(attr, func(t *testing.T) {
			rec := base
			rec.Attrs = maps.Clone(base.Attrs)
			rec.Attrs[attr] = v
			if _, err := gcoresecret.FromRecord(rec); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
	// The id is the part of the ref after the region: a ref without one is not a secret's.
	for _, id := range []string{"x", "1/"} {
		rec := base
		rec.ID = id
		if _, err := gcoresecret.FromRecord(rec); err == nil {
			t.Errorf("ref id %q: got nil error, want one", id)
		}
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		s    gcoresecret.Secret
		want string
	}{
		{"optional fields null", gcoresecret.Secret{ID: "u", Name: "n", SecretType: "opaque", PayloadContentType: "text/plain",
			Created: time.Date(2030, 1, 2, 3, 4, 5, 999999999, time.UTC)},
			`{"id":"u","name":"n","secret_type":"opaque","status":"ACTIVE","algorithm":null,"bit_length":null,"mode":null,"content_types":{"default":"text/plain"},"created":"2030-01-02T03:04:05+00:00","expiration":null}`},
		{"every field, a non-UTC time rendered in UTC", gcoresecret.Secret{ID: "u", Name: "n", SecretType: "symmetric", PayloadContentType: "application/octet-stream",
			Algorithm: "aes", Mode: "cbc", BitLength: 256, Created: time.Date(2030, 1, 2, 5, 4, 5, 0, time.FixedZone("", 7200)),
			Expiration: time.Date(2031, 1, 1, 0, 0, 0, 5, time.UTC)},
			`{"id":"u","name":"n","secret_type":"symmetric","status":"ACTIVE","algorithm":"aes","bit_length":256,"mode":"cbc","content_types":{"default":"application/octet-stream"},"created":"2030-01-02T03:04:05+00:00","expiration":"2031-01-01T00:00:00+00:00"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := json.Marshal(tt.s.JSON())
			if string(got) != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestRef(t *testing.T) {
	got := gcoresecret.Ref(gcore.Scope{Project: 1, Region: 76}, "u")
	if want := (store.Ref{Service: "gcore-cloud", Tenant: "1", Kind: "secret", ID: "76/u"}); got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestInRegion: the query of a region selects its secrets only, not a region whose number it
// prefixes.
func TestInRegion(t *testing.T) {
	got := gcoresecret.InRegion(gcore.Scope{Project: 1, Region: 7})
	if want := (store.Query{Service: "gcore-cloud", Tenant: "1", Kind: "secret", Prefix: "7/"}); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
