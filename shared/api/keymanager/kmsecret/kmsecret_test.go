package kmsecret

import (
	"testing"
	"time"
)

func TestIsoformat(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), "2030-01-02T03:04:05"},
		{time.Date(2030, 1, 2, 3, 4, 5, 180394000, time.UTC), "2030-01-02T03:04:05.180394"},
		{time.Date(2030, 1, 2, 3, 4, 5, 1000, time.UTC), "2030-01-02T03:04:05.000001"},
		{time.Date(2030, 1, 2, 3, 4, 5, 999, time.UTC), "2030-01-02T03:04:05"},
		{time.Date(2030, 1, 2, 12, 0, 0, 0, time.FixedZone("JST", 9*3600)), "2030-01-02T03:00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Isoformat(tt.in); got != tt.want {
				t.Errorf("Isoformat(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMediaType: a Content-Type or Accept is its media type, as webob's content_type keeps only
// the part before ';' and Barbican compares it without regard to case.
func TestMediaType(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"application/json", "application/json"},
		{"application/json; charset=utf-8", "application/json"},
		{"Application/JSON;charset", "application/json"},
		{" application/json ", "application/json"},
		{"", ""},
		{"application/jsonp", "application/jsonp"},
		{"text/plain;;", "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MediaType(tt.in); got != tt.want {
				t.Errorf("MediaType(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
