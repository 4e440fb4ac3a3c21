package archive

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateKey(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"a.loupe", true},
		{"2026/11/26/2026-11-26T12-00-00Z_c1_s_abc.loupe", true},
		{"site=demo/day=2026-11-26/s+1.loupe", true},
		{"A_b-C.1.loupe", true},
		{"", false},
		{".loupe", false},
		{"a.loupe/b.loupe", false},
		{"../a.loupe", false},
		{"a/../b.loupe", false},
		{"/a.loupe", false},
		{"a//b.loupe", false},
		{"a/", false},
		{`a\b.loupe`, false},
		{"a.LOUPE", false},
		{"a b.loupe", false},
		{"a:b.loupe", false},
		{"é.loupe", false},
		{"assets/ab/x.loupe", false},
		{"assets.loupe", true},
		{"assets0/x.loupe", true},
		{"site/assets/x.loupe", true},
		{strings.Repeat("a", MaxKeyLen-len(KeySuffix)) + KeySuffix, true},
		{strings.Repeat("a", MaxKeyLen) + KeySuffix, false},
	}
	for _, tt := range tests {
		err := ValidateKey(tt.key)
		if got := err == nil; got != tt.ok {
			t.Errorf("ValidateKey(%.40q) = %v, want ok=%v", tt.key, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidateKey(%.40q) = %v, want ErrInvalidKey", tt.key, err)
		}
	}
}

func TestValidateDigest(t *testing.T) {
	good := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		sum string
		ok  bool
	}{
		{good, true},
		{strings.ToUpper(good), false},
		{good[:63], false},
		{good + "0", false},
		{"", false},
		{strings.Repeat("g", 64), false},
	}
	for _, tt := range tests {
		err := ValidateDigest(tt.sum)
		if got := err == nil; got != tt.ok {
			t.Errorf("ValidateDigest(%q) = %v, want ok=%v", tt.sum, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrDigestMismatch) {
			t.Errorf("ValidateDigest(%q) = %v, want ErrDigestMismatch", tt.sum, err)
		}
	}
}
