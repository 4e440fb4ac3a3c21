package segment

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{`device = mobile and visited "/checkout*" and not tag = rage_click`, `device = mobile and visited "/checkout*" and not tag = rage_click`},
		{`(browser = firefox or browser = safari) and duration > 2m and clicks >= 5`, `(browser = firefox or browser = safari) and duration > 2m and clicks >= 5`},
		{`DEVICE = Mobile AND NOT (a.b = 1)`, ``}, // unknown field: error case below
		{`trait.plan = pro`, `trait.plan = pro`},
		{`Trait.Plan ~ "pro plan"`, `trait.Plan ~ "pro plan"`},
		{`duration >= 90s`, `duration >= 90s`},
		{`duration < 1500ms or duration > 1h`, `duration < 1500ms or duration > 1h`},
		{`duration > 120`, `duration > 2m`},
		{`duration > 0.5m`, `duration > 30s`},
		{`viewport_width < 768`, `width < 768`},
		{`entry_page = /products/*`, `entry = /products/*`},
		{`did add_to_cart >= 2`, `did "add_to_cart" >= 2`},
		{`DID "sign up"`, `did "sign up"`},
		{`reached "click:button.buy"`, `reached "click:button.buy"`},
		{`clicked "main > button.buy"`, `clicked "main > button.buy"`},
		{`a_missing_or = 1`, ``},
		{`country = "and"`, `country = "and"`},
		{`not not device = mobile`, `not not device = mobile`},
		{`((device = mobile))`, `device = mobile`},
		{`(device = mobile and os = ios) and country = de`, `device = mobile and os = ios and country = de`},
		{`device = mobile or (os = ios or os = android)`, `device = mobile or os = ios or os = android`},
		{`not (device = mobile or os = ios) and clicks > 1.5`, `not (device = mobile or os = ios) and clicks > 1.5`},
		{`device=mobile and clicks>=3`, `device = mobile and clicks >= 3`},
		{`country = ""`, `country = ""`},
		{"device = mobile\nand visited /cart", `device = mobile and visited "/cart"`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) = %v, want an error", tt.in, e)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		again, err := Parse(e.String())
		if err != nil || !reflect.DeepEqual(again, e) {
			t.Errorf("reparse of %q: got %#v (%v), want %#v", e.String(), again, err, e)
		}
	}
}

func TestParseStructure(t *testing.T) {
	got := MustParse(`device = mobile or os = ios and not tag = rage_click`)
	want := Or{
		Cond{Field: "device", Op: Eq, Str: "mobile"},
		And{Cond{Field: "os", Op: Eq, Str: "ios"}, Not{X: Cond{Field: "tag", Op: Eq, Str: "rage_click"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
	if got := MustParse(`duration > 2m`).(Cond).Num; got != 120000 {
		t.Errorf("duration > 2m: Num = %v, want 120000", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in        string
		line, col int
		msg       string
	}{
		{`device = mobile and browser =`, 1, 30, "expected a value after '='"},
		{`device = mobile and browser = and`, 1, 31, "expected a value after '='"},
		{`device mobile`, 1, 8, "expected an operator"},
		{`colour = red`, 1, 1, `unknown field 'colour'`},
		{`device > mobile`, 1, 8, "operator '>' does not apply to device"},
		{`clicks >= lots`, 1, 11, "clicks takes a number"},
		{`duration > 5 parsecs`, 1, 14, "expected 'and', 'or' or end of input"},
		{`duration > 5y`, 1, 12, "duration takes a duration"},
		{`(device = mobile`, 1, 17, "expected ')' to close the '(' at column 1"},
		{`device = mobile)`, 1, 16, "unmatched ')'"},
		{`device = "mobile`, 1, 10, "unterminated string"},
		{`device ! mobile`, 1, 8, "expected '=' after '!'"},
		{``, 1, 1, "expected a condition, found end of input"},
		{`and`, 1, 1, "unknown field 'and'"},
		{"device = mobile and\n  country =", 2, 12, "expected a value after '='"},
		{`visited`, 1, 8, "expected a value after 'visited'"},
		{`reached "checkout"`, 1, 9, "invalid step"},
		{`did signup >= x`, 1, 15, "whole number"},
		{`did signup ~ 2`, 1, 12, "'~' does not apply"},
		{`tag ~ rage`, 1, 5, "operator '~' does not apply to tag"},
		{`pageviews = 3 and ünïcode = x`, 1, 19, "unknown field"},
		{`device = mobile and ünïcode`, 1, 21, "unknown field"},
		{`device = mobile and trait.ünï`, 1, 30, "expected an operator"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want *ParseError", tt.in, err)
			continue
		}
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q): errors.Is(err, ErrSyntax) = false", tt.in)
		}
		if pe.Line != tt.line || pe.Column != tt.col || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("Parse(%q) = line %d column %d %q, want line %d column %d containing %q", tt.in, pe.Line, pe.Column, pe.Msg, tt.line, tt.col, tt.msg)
		}
	}
	_, err := Parse(`device = mobile and browser =`)
	if got, want := err.Error(), "column 30: expected a value after '='"; got != want {
		t.Errorf("error text = %q, want %q", got, want)
	}
}

func TestParseDepthLimit(t *testing.T) {
	deep := strings.Repeat("(", 200) + "device = mobile" + strings.Repeat(")", 200)
	if _, err := Parse(deep); !errors.Is(err, ErrSyntax) {
		t.Errorf("200 nested parentheses: err = %v, want a syntax error", err)
	}
	ok := strings.Repeat("(", 20) + "device = mobile" + strings.Repeat(")", 20)
	if _, err := Parse(ok); err != nil {
		t.Errorf("20 nested parentheses: %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, src := range []string{
		`device = mobile and visited "/checkout*" and not tag = rage_click`,
		`(browser = firefox or browser = safari) and duration > 2m and clicks >= 5`,
		`trait.plan = pro or did "add_to_cart" >= 2 or reached "input:#email"`,
		`width <= 767.5 and country != ""`,
		`clicks = 0 or duration < 0ms`,
	} {
		e := MustParse(src)
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("marshal %q: %v", src, err)
		}
		back, err := UnmarshalJSON(b)
		if err != nil {
			t.Fatalf("unmarshal %s: %v", b, err)
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("JSON round trip of %q via %s = %q, want same tree", src, b, back)
		}
		fromText, err := UnmarshalJSON([]byte(`"` + strings.ReplaceAll(src, `"`, `\"`) + `"`))
		if err != nil || !reflect.DeepEqual(fromText, e) {
			t.Errorf("JSON string form of %q = %v, %v", src, fromText, err)
		}
	}
	var s struct {
		Segment Segment `json:"segment"`
	}
	if err := json.Unmarshal([]byte(`{"segment":{"op":"cond","field":"device","cmp":">","value":"x"}}`), &s); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("bad operator in JSON: err = %v, want ErrInvalidJSON", err)
	}
	if err := json.Unmarshal([]byte(`{"segment":{"op":"cond","field":"clicks","cmp":">","value":"3"}}`), &s); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("string for a number in JSON: err = %v, want ErrInvalidJSON", err)
	}
	if err := json.Unmarshal([]byte(`{"segment":{"op":"and","terms":[{"op":"did","pattern":"x","cmp":">=","count":2},{"op":"visited","pattern":"/a"}]}}`), &s); err != nil {
		t.Fatalf("valid JSON tree: %v", err)
	}
	if got, want := s.Segment.Expr.String(), `did "x" >= 2 and visited "/a"`; got != want {
		t.Errorf("JSON tree text = %q, want %q", got, want)
	}
}
