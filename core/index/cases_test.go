package index_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/segment/segmenttest"
)

func fromFacts(t *testing.T, sessions []*core.Facts) *index.Index {
	t.Helper()
	b := index.NewBuilder()
	for _, f := range sessions {
		if err := b.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	return b.Index()
}

// TestSegmentCaseFiles runs the segment package's case files through the
// index: every segment it covers must select exactly the listed sessions,
// and the feedback cases must fall back.
func TestSegmentCaseFiles(t *testing.T) {
	files, _ := filepath.Glob("../segment/testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no segment case files")
	}
	covered := 0
	for _, file := range files {
		sessions, cases := segmenttest.ReadCases(t, file)
		x := fromFacts(t, sessions)
		for _, c := range cases {
			e, err := segment.Parse(c.Query)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, c.Line, err)
			}
			got, ok := x.IDs(e)
			if !ok {
				if !strings.Contains(file, "feedback") && !strings.Contains(c.Query, "trait.") && !strings.Contains(c.Query, "user") && !strings.Contains(c.Query, "visitor") {
					t.Errorf("%s:%d: index declines %q", file, c.Line, c.Query)
				}
				continue
			}
			covered++
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, c.Want) {
				t.Errorf("%s:%d: %s => %v, want %v", file, c.Line, c.Query, got, c.Want)
			}
		}
	}
	if covered < 40 {
		t.Errorf("only %d cases covered", covered)
	}
}

// TestFunnelCaseFiles runs the funnel package's case files through the
// index and wants the reference's full answer.
func TestFunnelCaseFiles(t *testing.T) {
	files, _ := filepath.Glob("../funnel/testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no funnel case files")
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cf struct {
			Sessions []*core.Facts `json:"sessions"`
			Cases    []struct {
				Query funnel.Query `json:"query"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(b, &cf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		x := fromFacts(t, cf.Sessions)
		for i, c := range cf.Cases {
			want, err := funnel.Evaluate(c.Query, cf.Sessions)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := x.Funnel(c.Query)
			if err != nil || !ok {
				t.Fatalf("%s case %d: ok %v, %v", file, i, ok, err)
			}
			sameFunnel(t, c.Query, got, want, "reference")
		}
	}
}
