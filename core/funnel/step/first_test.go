package step

import (
	"testing"

	"github.com/loupe-dev/loupe/core"
)

func TestFirstAt(t *testing.T) {
	f := &core.Facts{
		Pageviews: []core.Pageview{{Path: "/"}, {Path: "/checkout/pay", OffsetMS: 4000}, {Path: "/checkout/done", OffsetMS: 9000}},
		Clicks:    []core.Click{{Selector: "main > button#buy", OffsetMS: 7000}},
	}
	cases := []struct {
		step  string
		at    int64
		found bool
	}{
		{"page:/checkout*", 4000, true},
		{"/checkout/done", 9000, true},
		{"click:button#buy", 7000, true},
		{"page:/cart", 0, false},
		{"event:signup", 0, false},
	}
	for _, c := range cases {
		s, err := Parse(c.step)
		if err != nil {
			t.Fatal(err)
		}
		at, found := FirstAt(f, s)
		if at != c.at || found != c.found {
			t.Errorf("FirstAt(%s) = %d, %v; want %d, %v", c.step, at, found, c.at, c.found)
		}
	}
	if _, found := FirstAt(nil, Step{Page, "/"}); found {
		t.Error("FirstAt(nil facts) found a moment")
	}
}
