package asset

import (
	"fmt"
	"testing"
)

func TestParseSrcset(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a.png", []string{"a.png"}},
		{"a.png 1x, b.png 2x", []string{"a.png", "b.png"}},
		{"a.png 480w,b.png 800w", []string{"a.png", "b.png"}},
		{" a.png, b.png ", []string{"a.png", "b.png"}},
		{"a.png,b.png", []string{"a.png,b.png"}}, // no space: one URL, as browsers read it
		{"data:image/png;base64,AA,BB 1x, c.png 2x", []string{"data:image/png;base64,AA,BB", "c.png"}},
		{"a.png (max-width: 1px, 2px) 1x, b.png", []string{"a.png", "b.png"}},
		{",,, ", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, c := range ParseSrcset(tt.in) {
			if tt.in[c.Start:c.End] != c.URL {
				t.Errorf("%q: span %d-%d is not %q", tt.in, c.Start, c.End, c.URL)
			}
			got = append(got, c.URL)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("ParseSrcset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRewriteSrcset(t *testing.T) {
	got := RewriteSrcset("a.png 1x, keep.png 2x,b.png", func(raw string) (string, bool) {
		if raw == "keep.png" {
			return "", false
		}
		return "/asset/" + raw + " x", true
	})
	if want := "/asset/a.png%20x 1x, keep.png 2x,/asset/b.png%20x"; got != want {
		t.Errorf("RewriteSrcset = %q, want %q", got, want)
	}
}

func TestResolve(t *testing.T) {
	tests := []struct{ base, raw, want string }{
		{"https://shop.example/p/1", "/img/a.png", "https://shop.example/img/a.png"},
		{"https://shop.example/p/1", "a.png#frag", "https://shop.example/p/a.png"},
		{"https://shop.example/", "HTTPS://CDN.Example/A.png", "https://cdn.example/A.png"},
		{"", "/relative.png", ""},
		{"https://shop.example/", "data:image/png;base64,AA", ""},
		{"https://shop.example/", "javascript:alert(1)", ""},
		{"https://shop.example/", "ftp://x/y.png", ""},
		{"https://shop.example/", "https://user:pw@x.example/y.png", ""},
		{"https://shop.example/", "  ", ""},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.base, tt.raw)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.base, tt.raw, got, ok, tt.want)
		}
	}
}
