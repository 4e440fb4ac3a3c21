package source

import (
	"bytes"
	"strings"
	"testing"
)

func TestPlainHTTPTokenWarns(t *testing.T) {
	var buf bytes.Buffer
	old := InsecureWarnings
	InsecureWarnings = &buf
	defer func() { InsecureWarnings = old }()
	for _, tt := range []struct {
		addr, token string
		warn        bool
	}{
		{"http://collector.example.com:8787", "tok", true},
		{"http://10.0.0.5:8787", "tok", true},
		{"http://127.0.0.1:8787", "tok", false},
		{"http://[::1]:8787", "tok", false},
		{"http://localhost:8787", "tok", false},
		{"https://collector.example.com", "tok", false},
		{"http://collector.example.com:8787", "", false},
	} {
		buf.Reset()
		if _, err := Open(t.Context(), tt.addr, tt.token); err != nil {
			t.Fatalf("open %s: %v", tt.addr, err)
		}
		if got := strings.Contains(buf.String(), "plain HTTP"); got != tt.warn {
			t.Errorf("%s with token %q: warned=%v (%q), want %v", tt.addr, tt.token, got, buf.String(), tt.warn)
		}
	}
}
