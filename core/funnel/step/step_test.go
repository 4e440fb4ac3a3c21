package step

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Step
		err  bool
	}{
		{"page:/checkout*", Step{Page, "/checkout*"}, false},
		{"/cart", Step{Page, "/cart"}, false},
		{"CLICK: main > button.buy", Step{Click, "main > button.buy"}, false},
		{"event:signup", Step{Event, "signup"}, false},
		{"input:#email", Step{Input, "#email"}, false},
		{"scroll:50", Step{}, true},
		{"page:", Step{}, true},
		{"checkout", Step{}, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.err {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q) error = %v, want ErrInvalid", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if back, _ := Parse(got.String()); back != got {
			t.Errorf("Parse(%q.String()) = %v, want %v", got.String(), back, got)
		}
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"/checkout*", "/checkout", true},
		{"/checkout*", "/checkout/pay", true},
		{"/products/*", "/products/a/b", true},
		{"/products/*", "/products", false},
		{"/product?", "/products", true},
		{"/product?", "/product", false},
		{"*", "", true},
		{"", "", true},
		{"", "/", false},
		{"/a*b*c", "/axxbyyc", true},
		{"/a*b*c", "/axxbyy", false},
		{"/é?", "/éü", true},
		{"/CART", "/cart", false},
		{"[x]", "[x]", true},
	}
	for _, tt := range tests {
		if got := MatchGlob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestMatchSelector(t *testing.T) {
	tests := []struct {
		pattern, sel string
		want         bool
	}{
		{"button.buy", "button.buy", true},
		{"button.buy", "main > button.buy", true},
		{"div > button.buy", "main > div > button.buy", true},
		{"buy", "button.buy", false},
		{"button", "main > button.buy", false},
		{"#pay", "#pay", true},
		{"#product-*", "#product-blue-mug", true},
		{"*button*", "main > button.buy", true},
	}
	for _, tt := range tests {
		if got := MatchSelector(tt.pattern, tt.sel); got != tt.want {
			t.Errorf("MatchSelector(%q, %q) = %v, want %v", tt.pattern, tt.sel, got, tt.want)
		}
	}
}
