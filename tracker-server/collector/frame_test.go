package collector

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestReadFramesStopsAtEveryTornOffset(t *testing.T) {
	var log []byte
	var ends []int64 // offset after each frame
	for i := 0; i < 4; i++ {
		log = appendFrame(log, []byte(fmt.Sprintf("payload-%d-%s", i, bytes.Repeat([]byte("x"), i*7))))
		ends = append(ends, int64(len(log)))
	}
	for cut := 0; cut <= len(log); cut++ {
		var got []string
		good, err := readFrames(bytes.NewReader(log[:cut]), func(p []byte) error {
			got = append(got, string(p))
			return nil
		})
		wantFrames := 0
		for _, e := range ends {
			if int64(cut) >= e {
				wantFrames++
			}
		}
		wantGood := int64(0)
		if wantFrames > 0 {
			wantGood = ends[wantFrames-1]
		}
		if good != wantGood || len(got) != wantFrames {
			t.Fatalf("cut at %d: good %d, %d frames; want %d, %d", cut, good, len(got), wantGood, wantFrames)
		}
		if torn := int64(cut) != wantGood; torn != errors.Is(err, errTornFrame) {
			t.Fatalf("cut at %d: err %v, torn tail %v", cut, err, torn)
		}
	}
}

func TestReadFramesDetectsFlippedBytes(t *testing.T) {
	log := appendFrame(appendFrame(nil, []byte("first")), []byte("second"))
	firstEnd := int64(frameHeader + len("first"))
	for i := int(firstEnd); i < len(log); i++ {
		bad := slices.Clone(log)
		bad[i] ^= 0x40
		n := 0
		good, err := readFrames(bytes.NewReader(bad), func([]byte) error { n++; return nil })
		if !errors.Is(err, errTornFrame) || good != firstEnd || n != 1 {
			t.Errorf("flip at %d: good %d, %d frames, err %v; want %d, 1, torn", i, good, n, err, firstEnd)
		}
	}
}

func TestMatchOrigin(t *testing.T) {
	tests := []struct {
		pattern, origin string
		want            bool
	}{
		{"*", "https://anything.example", true},
		{"*", "", true},
		{"https://shop.example.com", "https://shop.example.com", true},
		{"https://shop.example.com", "https://SHOP.example.com", true},
		{"https://shop.example.com", "https://shop.example.com:443", true},
		{"https://shop.example.com", "https://shop.example.com:8443", false},
		{"https://shop.example.com", "http://shop.example.com", false},
		{"http://localhost:*", "http://localhost:5173", true},
		{"http://localhost:*", "http://localhost", true},
		{"http://localhost:*", "http://localhost.evil.io:80", false},
		{"http://localhost:8080", "http://localhost:8081", false},
		{"https://*.example.com", "https://a.b.example.com", true},
		{"https://*.example.com", "https://example.com", true},
		{"https://*.example.com", "https://badexample.com", false},
		{"https://shop.example.com", "null", false},
		{"https://shop.example.com", "", false},
		{"https://shop.example.com", "https://shop.example.com/path", false},
		{"http://[::1]:*", "http://[::1]:3000", true},
	}
	for _, tt := range tests {
		if got := MatchOrigin(tt.pattern, tt.origin); got != tt.want {
			t.Errorf("MatchOrigin(%q, %q) = %v, want %v", tt.pattern, tt.origin, got, tt.want)
		}
	}
	for _, bad := range []string{"localhost", "https://", "https://a.com/path", "https://a.com?x"} {
		if checkOriginPattern(bad) == nil {
			t.Errorf("checkOriginPattern(%q) = nil, want an error", bad)
		}
	}
}

func TestLanguageRegionAndCountry(t *testing.T) {
	tests := []struct{ header, want string }{
		{"de-DE,de;q=0.9,en;q=0.5", "DE"},
		{"en;q=0.9,fr-CA", "CA"},
		{"zh-Hant-TW", "TW"},
		{"es-419,es;q=0.9", ""},
		{"en", ""},
		{"", ""},
		{"*", ""},
	}
	for _, tt := range tests {
		if got := languageRegion(tt.header); got != tt.want {
			t.Errorf("languageRegion(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
	for in, want := range map[string]string{"us": "US", " GB ": "GB", "XX": "", "T1": "", "USA": "", "1A": ""} {
		if got := countryCode(in); got != want {
			t.Errorf("countryCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSeqRanges(t *testing.T) {
	tests := []struct {
		in   []int64
		want [][2]int64
	}{
		{nil, nil},
		{[]int64{0}, [][2]int64{{0, 0}}},
		{[]int64{3, 0, 1, 2, 7, 9, 8, 1}, [][2]int64{{0, 3}, {7, 9}}},
	}
	for _, tt := range tests {
		if got := seqRanges(tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("seqRanges(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"s_abcdefg": true, "abcdefgh": true, "A-Z_0-9x": true, "short": false,
		"s_with/slash": false, "s_with.dot1": false, string(bytes.Repeat([]byte("a"), 65)): false,
	} {
		if got := validID(id); got != want {
			t.Errorf("validID(%q) = %v, want %v", id, got, want)
		}
	}
}
