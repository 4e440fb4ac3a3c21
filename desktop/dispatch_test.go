package desktop

import (
	"errors"
	"strings"
	"testing"
)

// echo is a binding used to exercise the dispatcher's decoding alone.
type echo struct{}

type echoArgs struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags"`
}

// Join joins its arguments, or fails on a negative count.
func (echo) Join(a echoArgs, sep string, n int64) (string, error) {
	if a.Count < 0 {
		return "", fail(errors.New("negative count"), "join")
	}
	return a.Name + sep + strings.Join(a.Tags, sep), nil
}

// Nothing has no result.
func (echo) Nothing() {}

func TestDispatchDecodes(t *testing.T) {
	d, err := newDispatcher([]any{&echo{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, args string
		want         any
		code         string
	}{
		{"Join", `[{"name":"a","tags":["b","c"]},"-",3]`, "a-b-c", ""},
		{"Join", `[{"name":"a"}]`, "a", ""},
		{"Join", ``, "", ""},
		{"Join", `[{"count":-1}]`, nil, CodeInternal},
		{"Join", `[{"name":5}]`, nil, CodeInvalid},
		{"Join", `[{},"",1.5]`, nil, CodeInvalid},
		{"Join", `[1,2,3,4]`, nil, CodeInvalid},
		{"Join", `"x"`, nil, CodeInvalid},
		{"Nothing", `[]`, nil, ""},
		{"join", `[]`, nil, CodeNotFound},
	}
	for _, tt := range tests {
		got, e := d.call(t.Context(), "echo", tt.method, []byte(tt.args))
		code := ""
		if e != nil {
			code = e.Code
		}
		if code != tt.code || (tt.code == "" && got != tt.want) {
			t.Errorf("%s(%s) = %v, %v; want %v with code %q", tt.method, tt.args, got, e, tt.want, tt.code)
		}
	}
}

// FuzzDispatch feeds arbitrary bytes as call arguments: the dispatcher
// must answer with a result or a {code, message} error, never panic.
func FuzzDispatch(f *testing.F) {
	for _, s := range []string{`[]`, `[{"name":"x","tags":["a"]},",",2]`, `[null,null,null]`, `{}`, `[[[`, `["\u0000"]`, `[1e999]`, ``} {
		f.Add(s)
	}
	d, err := newDispatcher([]any{&echo{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, args string) {
		got, e := d.call(t.Context(), "echo", "Join", []byte(args))
		if e != nil {
			if e.Code == "" || e.Message == "" {
				t.Fatalf("error without code or message: %#v", e)
			}
			return
		}
		if _, ok := got.(string); !ok {
			t.Fatalf("result %T, want string", got)
		}
	})
}
