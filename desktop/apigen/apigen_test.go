package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// committed is the generated file the workbench builds from.
const committed = "../../assets/workbench/src/api.gen.ts"

// The committed TypeScript must be what the generator writes from today's
// Go: a binding or a JSON field changed without `make api` fails here.
func TestCommittedAPIIsCurrent(t *testing.T) {
	want, err := generate(bound(), "..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s is stale (run `make api`); line %d is\n\t%s\nwant\n\t%s", filepath.Base(committed), i+1, g, w)
		}
	}
}

type inner struct {
	Shared string `json:"shared"`
	Deep   int    `json:"deep"`
}

type sample struct {
	inner
	Shared  string            `json:"shared_outer"`
	Name    string            `json:"name"`
	Hidden  string            `json:"-"`
	private string            //nolint:unused // proves unexported fields are skipped
	Maybe   *inner            `json:"maybe"`
	Gone    []string          `json:"gone,omitempty"`
	List    []string          `json:"list"`
	Bytes   []byte            `json:"bytes"`
	At      time.Time         `json:"at"`
	Counts  map[string]int    `json:"counts"`
	Quoted  int64             `json:"quoted,string"`
	Any     any               `json:"any"`
	Nested  struct{ X int }   `json:"nested"`
	Untaged bool              //nolint:revive // encoding/json names it by the field
	Keyed   map[string][]bool `json:"keyed,omitempty"`
}

type request struct {
	Limit int      `json:"limit"`
	Tags  []string `json:"tags"`
}

type api struct{}

func (api) Get(req request) (sample, error) { return sample{}, nil }
func (api) Drop(id string) error            { return nil }
func (api) Count() int                      { return 0 }
func (api) bad()                            {}
func (api) Pair() (int, int)                { return 0, 0 }

func TestGenerateWalksJSONTags(t *testing.T) {
	src := t.TempDir()
	code := "package x\n\nfunc (a *api) Get(req request) (sample, error) { return }\nfunc (a *api) Drop(delete string) error { return nil }\n"
	if err := os.WriteFile(filepath.Join(src, "api.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := generate([]any{&api{}}, src)
	if err != nil {
		t.Fatal(err)
	}
	ts := string(out)
	for _, want := range []string{
		"export interface sample {\n  shared_outer: string;\n  name: string;\n  maybe: inner | null;\n  gone?: string[];\n" +
			"  list: string[] | null;\n  bytes: string;\n  at: string;\n  counts: Record<string, number> | null;\n  quoted: string;\n" +
			"  any?: unknown;\n  nested: {\n    X: number;\n  };\n  Untaged: boolean;\n  keyed?: Record<string, boolean[] | null>;\n" +
			"  shared: string;\n  deep: number;\n}",
		// Only sent to Go: every field may be left out.
		"export interface request {\n  limit?: number;\n  tags?: string[] | null;\n}",
		"  get: (req: request) => call<sample>('api', 'Get', req),",
		"  drop: (delete_: string) => call<null>('api', 'Drop', delete_),",
		"  count: () => call<number>('api', 'Count'),",
	} {
		if !strings.Contains(ts, want) {
			t.Errorf("generated TypeScript lacks\n%s\n\ngot:\n%s", want, ts)
		}
	}
	for _, absent := range []string{"Hidden", "private", "pair", "bad"} {
		if strings.Contains(ts, absent) {
			t.Errorf("generated TypeScript has %q, which encoding/json or the bindings leave out", absent)
		}
	}
}

type selfMarshaled struct{}

func (selfMarshaled) MarshalJSON() ([]byte, error) { return []byte(`"x"`), nil }

type opaque struct{}

func (opaque) Get() (selfMarshaled, error) { return selfMarshaled{}, nil }

// A type that writes its own JSON has no shape reflection can see: the
// generator refuses it until told.
func TestGenerateRefusesUnknownMarshalers(t *testing.T) {
	if _, err := generate([]any{&opaque{}}, ".."); err == nil || !strings.Contains(err.Error(), "writes its own JSON") {
		t.Errorf("err = %v, want a request to describe selfMarshaled", err)
	}
}
