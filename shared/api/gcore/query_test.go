package gcore_test

import (
	"math"
	"net/url"
	"reflect"
	"testing"
	"time"

	"keyport/shared/api/gcore"
	"keyport/shared/fault"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		raw       string
		want      url.Values
		wantField string // "" and wantErr: a fault without a field
		wantErr   bool
	}{
		{"", url.Values{}, "", false},
		{"a=1&b=2&a=3", url.Values{"a": {"1", "3"}, "b": {"2"}}, "", false},
		{"a=x+y%2B&&b", url.Values{"a": {"x y+"}, "b": {""}}, "", false},
		{"a=1;b=2", url.Values{"a": {"1;b=2"}}, "", false},
		{"a=%zz&b=1", nil, "a", true},
		{"%zz=1", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := gcore.ParseQuery(tt.raw)
			if !tt.wantErr {
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			if f := fault.As(err); err == nil || !fault.IsClient(err) || f.Field != tt.wantField {
				t.Fatalf("got %v (field %q), want a client fault naming %q", err, f.Field, tt.wantField)
			}
		})
	}
}

func TestQueryInt(t *testing.T) {
	tests := []struct {
		raw    string
		want   int64
		wantOK bool
	}{
		{"", 7, true}, {"n=1", 1, true}, {"n=10", 10, true}, {"n=010", 10, true}, {"n=0", 0, false}, {"n=11", 0, false},
		{"n=-1", 0, false}, {"n=%2B1", 0, false}, {"n=", 0, false}, {"n=1.0", 0, false}, {"n=1&n=1", 0, false}, {"n=+1", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.raw)
			got, err := gcore.QueryInt(q, "n", 7, 1, 10)
			if tt.wantOK != (err == nil) || tt.wantOK && got != tt.want {
				t.Fatalf("got %d, %v; want %d ok=%v", got, err, tt.want, tt.wantOK)
			}
			if err != nil && fault.As(err).Field != "n" {
				t.Fatalf("fault does not name n: %v", err)
			}
		})
	}
	q := url.Values{"n": {"0", "00"}}
	for _, v := range q["n"] {
		if got, err := gcore.QueryInt(url.Values{"n": {v}}, "n", 5, 0, math.MaxInt64); err != nil || got != 0 {
			t.Errorf("%q: got %d, %v; want 0", v, got, err)
		}
	}
}

func TestQueryFilters(t *testing.T) {
	q := url.Values{"ids": {"1", "02"}, "bad": {"1", "x"}, "e": {"A", "B"}, "one": {"x"}, "two": {"a", "b"}, "empty": {""},
		"t": {"2030-01-02T03:04:05 01:00"}, "yes": {"TRUE"}, "no": {"false"}, "maybe": {"1"}}
	if got, err := gcore.QueryIDs(q, "ids"); err != nil || !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Errorf("QueryIDs: got %v, %v", got, err)
	}
	if got, err := gcore.QueryIDs(q, "absent"); err != nil || got != nil {
		t.Errorf("QueryIDs absent: got %v, %v", got, err)
	}
	if _, err := gcore.QueryEnums(q, "e", "A", "B"); err != nil {
		t.Errorf("QueryEnums: %v", err)
	}
	if got, err := gcore.QueryText(q, "absent"); err != nil || got != "" {
		t.Errorf("QueryText absent: got %q, %v", got, err)
	}
	tm, err := gcore.QueryTime(q, "t")
	if want := time.Date(2030, 1, 2, 2, 4, 5, 0, time.UTC); err != nil || !tm.Equal(want) {
		t.Errorf("QueryTime: got %v, %v; want %v", tm, err, want)
	}
	for name, want := range map[string]bool{"yes": true, "no": false} {
		if got, err := gcore.QueryBool(q, name); err != nil || got == nil || *got != want {
			t.Errorf("QueryBool %s: got %v, %v", name, got, err)
		}
	}
	if got, err := gcore.QueryBool(q, "absent"); err != nil || got != nil {
		t.Errorf("QueryBool absent: got %v, %v", got, err)
	}
	refused := map[string]func() error{
		"bad":   func() error { _, err := gcore.QueryIDs(q, "bad"); return err },
		"e":     func() error { _, err := gcore.QueryEnums(q, "e", "A"); return err },
		"two":   func() error { _, err := gcore.QueryEnum(q, "two", "a", "b"); return err },
		"one":   func() error { _, err := gcore.QueryEnum(q, "one", "a"); return err },
		"empty": func() error { _, err := gcore.QueryText(q, "empty"); return err },
		"maybe": func() error { _, err := gcore.QueryBool(q, "maybe"); return err },
	}
	for name, call := range refused {
		if err := call(); err == nil || fault.As(err).Field != name || fault.KindOf(err) != fault.Invalid {
			t.Errorf("%s: got %v, want an Invalid fault naming it", name, err)
		}
	}
}
