package index_test

import (
	"bufio"
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
		sessions, cases := readSegmentCases(t, file)
		x := fromFacts(t, sessions)
		for _, c := range cases {
			e, err := segment.Parse(c.query)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, c.line, err)
			}
			got, ok := x.IDs(e)
			if !ok {
				if !strings.Contains(file, "feedback") && !strings.Contains(c.query, "trait.") && !strings.Contains(c.query, "user") && !strings.Contains(c.query, "visitor") {
					t.Errorf("%s:%d: index declines %q", file, c.line, c.query)
				}
				continue
			}
			covered++
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s:%d: %s => %v, want %v", file, c.line, c.query, got, c.want)
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

type segmentCase struct {
	line  int
	query string
	want  []string
}

func readSegmentCases(t *testing.T, file string) ([]*core.Facts, []segmentCase) {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var sessions []*core.Facts
	var cases []segmentCase
	section := ""
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --"):
			section = strings.Trim(line, "- ")
		case section == "sessions":
			var f core.Facts
			if err := json.Unmarshal([]byte(line), &f); err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			sessions = append(sessions, &f)
		case section == "cases":
			q, ids, _ := strings.Cut(line, "=>")
			var want []string
			for _, id := range strings.Split(ids, ",") {
				if id = strings.TrimSpace(id); id != "" {
					want = append(want, id)
				}
			}
			cases = append(cases, segmentCase{n, strings.TrimSpace(q), want})
		}
	}
	return sessions, cases
}
