package step

import (
	"errors"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
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

func TestFactsOfAndFind(t *testing.T) {
	f := &core.Facts{
		Pageviews:    []core.Pageview{{Index: 0, Path: "/cart", OffsetMS: 0}, {Index: 1, Path: "/checkout", OffsetMS: 500}},
		Clicks:       []core.Click{{OffsetMS: 500, Pageview: 1, Selector: "main > button.pay"}, {OffsetMS: 900, Pageview: 1, Selector: "a.back"}},
		Inputs:       []core.Input{{OffsetMS: 500, Pageview: 1, Selector: "#email"}},
		CustomEvents: []core.CustomEvent{{OffsetMS: 400, Pageview: 0, Name: "purchase"}, {OffsetMS: 950, Pageview: 1, Name: "purchase"}},
	}
	all := FactsOf(f, Event, Click, Input, Page)
	SortByTime(all)
	var order []string
	for _, x := range all {
		order = append(order, string(x.Kind)+":"+x.Value)
	}
	want := "page:/cart event:purchase page:/checkout input:#email click:main > button.pay click:a.back event:purchase"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("facts in time order:\n got %s\nwant %s", got, want)
	}
	if got := FactsOf(f, Click); len(got) != 2 || got[1].Value != "a.back" || got[1].Seq != 1 {
		t.Errorf("FactsOf(click) = %+v", got)
	}
	buy := Step{Event, "purch*"}
	if found := buy.Find(f); len(found) != 2 || found[0].Pageview != 0 || found[1].At != 950 {
		t.Errorf("Find(event:purch*) = %+v", found)
	}
	if !(Step{Click, "button.pay"}).Reached(f) || (Step{Click, "button"}).Reached(f) || (Step{Page, "/thanks"}).Reached(f) {
		t.Error("Reached disagrees with MatchSelector / MatchGlob")
	}
	if !(Step{Input, "#email"}).MatchesFact(all[3]) || (Step{Click, "#email"}).MatchesFact(all[3]) {
		t.Error("MatchesFact must check the kind as well as the pattern")
	}
}
