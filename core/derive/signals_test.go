package derive

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// signalCase is one file in testdata/signals: a small hand-built stream
// and the part of the derived facts it must produce. Want is partial
// core.Facts JSON: only the fields it names are compared, so a case states
// exactly what it is about. Add a case by adding a file.
type signalCase struct {
	About  string          `json:"about"`
	Header archive.Header  `json:"header"`
	Events []rrweb.Event   `json:"events"`
	Want   json.RawMessage `json:"want"`
}

func TestSignals(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "signals", "*.json"))
	if err != nil || len(files) < 30 {
		t.Fatalf("found %d signal cases (%v), want at least 30", len(files), err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var c signalCase
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("case file: %v", err)
			}
			facts := Session(c.Header, c.Events, core.Default())
			got, err := toGeneric(facts)
			if err != nil {
				t.Fatal(err)
			}
			var want any
			if err := json.Unmarshal(c.Want, &want); err != nil {
				t.Fatal(err)
			}
			for _, diff := range subsetDiff("", want, got) {
				t.Errorf("%s: %s", c.About, diff)
			}
		})
	}
}

func toGeneric(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

// subsetDiff lists where got differs from want, looking only at what want
// names. Arrays must have the same length; a map in want must be matched
// key by key (an empty map in want means "empty").
func subsetDiff(at string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if len(w) == 0 && got == nil {
				return nil
			}
			return []string{fmt.Sprintf("%s: got %v, want an object %v", at, got, w)}
		}
		if len(w) == 0 && len(g) != 0 {
			return []string{fmt.Sprintf("%s: got %v, want empty", at, g)}
		}
		var out []string
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, subsetDiff(at+"."+k, w[k], g[k])...)
		}
		return out
	case []any:
		g, _ := got.([]any)
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %d items %v, want %d %v", at, len(g), g, len(w), w)}
		}
		var out []string
		for i := range w {
			out = append(out, subsetDiff(fmt.Sprintf("%s[%d]", at, i), w[i], g[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(want, got) {
		return []string{fmt.Sprintf("%s: got %v, want %v", at, got, want)}
	}
	return nil
}

// The comparison itself must catch differences, or every case would pass.
func TestSubsetDiff(t *testing.T) {
	tests := []struct {
		want, got string
		diffs     int
	}{
		{`{"a":1}`, `{"a":1,"b":2}`, 0},
		{`{"a":1}`, `{"a":2}`, 1},
		{`{"a":[1,2]}`, `{"a":[1]}`, 1},
		{`{"a":{}}`, `{"a":{"x":1}}`, 1},
		{`{"a":{}}`, `{"a":null}`, 0},
		{`{"a":[{"x":true}]}`, `{"a":[{"x":false,"y":1}]}`, 1},
		{`{"missing":1}`, `{}`, 1},
	}
	for _, tt := range tests {
		var w, g any
		_ = json.Unmarshal([]byte(tt.want), &w)
		_ = json.Unmarshal([]byte(tt.got), &g)
		if d := subsetDiff("", w, g); len(d) != tt.diffs {
			t.Errorf("subsetDiff(%s, %s): got %d diffs %v, want %d", tt.want, tt.got, len(d), d, tt.diffs)
		}
	}
}
