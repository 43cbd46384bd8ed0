package credentials

import "testing"

func TestCheckPublicURL(t *testing.T) {
	for raw, want := range map[string]string{
		"": "", "https://kms.example.com": "https://kms.example.com", "http://127.0.0.1:8080/": "http://127.0.0.1:8080",
		"https://kms.example.com/openstack/": "https://kms.example.com/openstack",
	} {
		if got, err := checkPublicURL(raw); err != nil || got != want {
			t.Errorf("checkPublicURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"kms.example.com", "ftp://kms.example.com", "https://", "https://u:p@kms.example.com",
		"https://kms.example.com/?a=b", "https://kms.example.com/#x", "/v3"} {
		if got, err := checkPublicURL(raw); err == nil {
			t.Errorf("checkPublicURL(%q) = %q, want an error", raw, got)
		}
	}
}
