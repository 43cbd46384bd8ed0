package boltstore

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"keyport/shared/store"
)

func sampleStored() stored {
	exp := int64(1_796_169_600_001)
	return stored{
		Version: 7,
		Attrs: store.Attrs{"name": "kéy\x00", "count": int64(-42), "enabled": true, "off": false,
			"tags": []string{"a", "", "ü"}, "none": []string{}, "big": int64(1 << 62)},
		Sealed:  []byte{0, 1, 2, 255},
		Claims:  []store.Ref{{Service: "s", Kind: "name", ID: "x"}, {Service: "s", Tenant: "t", Kind: "id", ID: ""}},
		Created: 1_796_169_600_000,
		Updated: -1, // before 1970: times are signed
		Expires: &exp,
	}
}

func TestFormatRoundTrip(t *testing.T) {
	for _, s := range []stored{sampleStored(), {Version: 1}} {
		b, err := s.marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := unmarshal(b)
		if err != nil {
			t.Fatalf("unmarshal(marshal(%+v)): %v", s, err)
		}
		if len(s.Attrs) == 0 {
			s.Attrs = nil
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, s)
		}
	}
}

// The same record always encodes to the same bytes, whatever the map order.
func TestFormatDeterministic(t *testing.T) {
	first, _ := sampleStored().marshal()
	for range 20 {
		if b, _ := sampleStored().marshal(); !bytes.Equal(b, first) {
			t.Fatal("two encodings of one record differ")
		}
	}
}

// Decoded values do not share memory with the encoded bytes, which bbolt reuses once the
// transaction ends.
func TestFormatCopiesOut(t *testing.T) {
	b, _ := sampleStored().marshal()
	got, err := unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0xAA
	}
	if want := sampleStored(); !bytes.Equal(got.Sealed, want.Sealed) || got.Attrs["name"] != want.Attrs["name"] || got.Claims[0] != want.Claims[0] {
		t.Errorf("decoded record changed with the bytes it came from: %+v", got)
	}
}

func TestFormatRefusesDamage(t *testing.T) {
	good, _ := sampleStored().marshal()
	cases := map[string][]byte{
		"empty":             {},
		"earlier JSON form": []byte(`{"v":1,"c":0,"u":0}`),
		"truncated":         good[:len(good)-1],
		"trailing byte":     append(bytes.Clone(good), 0),
		"huge claim count":  {recordFormat, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"bad flags":         {recordFormat, 1, 0, 0, 2, 0, 0, 0},
		"bad bool":          {recordFormat, 1, 0, 0, 0, 0, 0, 1, 1, 'x', 'b', 2},
		"unknown type":      {recordFormat, 1, 0, 0, 0, 0, 0, 1, 1, 'x', 'z', 0},
	}
	for name, b := range cases {
		if _, err := unmarshal(b); err == nil {
			t.Errorf("%s: got nil error", name)
		}
	}
	if _, err := (stored{Attrs: store.Attrs{"f": 1.5}}).marshal(); err == nil {
		t.Error("a float attribute: got nil error, want unsupported")
	}
	if _, err := toStored(store.Record{Attrs: store.Attrs{"f": 1}, CreatedAt: time.Now()}, 1, time.Now()).marshal(); err == nil {
		t.Error("an int attribute: got nil error, want unsupported")
	}
}

// FuzzUnmarshal: any bytes decode to an error or to a record that encodes back to the same bytes
// (the format has one encoding per record), and never panic (a huge count in a short input
// would: it is refused before anything is allocated for it).
func FuzzUnmarshal(f *testing.F) {
	good, _ := sampleStored().marshal()
	f.Add(good)
	f.Add([]byte{recordFormat, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := unmarshal(b)
		if err != nil {
			return
		}
		again, err := s.marshal()
		if err != nil {
			t.Fatalf("re-encode of a decoded record: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("decoded %x, re-encoded %x", b, again)
		}
	})
}
