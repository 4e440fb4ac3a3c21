package segment

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzParse checks that any text either parses to an expression whose
// canonical text parses back to the same tree, or fails with a *ParseError
// whose position lies inside the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`device = mobile and visited "/checkout*" and not tag = rage_click`,
		`(browser = firefox or browser = safari) and duration > 2m and clicks >= 5`,
		`trait.plan = pro`, `did "x" >= 3`, `reached "page:/cart"`, `clicked "a > b"`,
		`duration > 1.5h`, `country = "\u00e9"`, `((`, `"`, `!`, `width < -3`, "a\nb",
		`csat <= 2 or nps >= 9`, `feedback = any and not feedback ~ "slow"`, `comment != NPS`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v is not a *ParseError", src, err)
			}
			if pe.Offset < 0 || pe.Offset > len(src) || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("Parse(%q) error position out of range: %+v", src, pe)
			}
			return
		}
		text := e.String()
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", text, src, err)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("round trip of %q via %q: got %#v, want %#v", src, text, again, e)
		}
		if again.String() != text {
			t.Fatalf("canonical text not a fixed point: %q then %q", text, again.String())
		}
	})
}

// FuzzUnmarshalJSON checks that any bytes either decode to an expression
// that survives a JSON round trip, or fail with an error.
func FuzzUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"op":"and","terms":[{"op":"cond","field":"device","cmp":"=","value":"mobile"},{"op":"visited","pattern":"/c*"}]}`,
		`{"op":"not","terms":[{"op":"did","pattern":"x","cmp":">=","count":2}]}`,
		`{"op":"cond","field":"clicks","cmp":">","value":0}`, `{"op":"cond","field":"feedback","cmp":"=","value":"CSAT"}`, `"device = mobile"`, `null`, `{"op":"or","terms":[]}`, `[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := UnmarshalJSON(b)
		if err != nil {
			return
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("marshal %v: %v", e, err)
		}
		back, err := UnmarshalJSON(out)
		if err != nil {
			t.Fatalf("re-decode %s: %v", out, err)
		}
		if back.String() != e.String() {
			t.Fatalf("JSON round trip: %q then %q", e.String(), back.String())
		}
	})
}
