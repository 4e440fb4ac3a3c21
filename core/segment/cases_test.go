package segment_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
)

// TestCases runs every testdata/*.txt file: each segment must select
// exactly the listed sessions.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			sessions, cases := readCases(t, file)
			for _, c := range cases {
				e, err := segment.Parse(c.query)
				if err != nil {
					t.Errorf("line %d: %v", c.line, err)
					continue
				}
				var got []string
				for _, f := range sessions {
					if segment.Eval(e, f) {
						got = append(got, f.Session.ID)
					}
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("line %d: %s => %v, want %v", c.line, c.query, got, c.want)
				}
			}
		})
	}
}

type segmentCase struct {
	line  int
	query string
	want  []string
}

func readCases(t *testing.T, file string) ([]*core.Facts, []segmentCase) {
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
			q, ids, ok := strings.Cut(line, "=>")
			if !ok {
				t.Fatalf("%s:%d: want SEGMENT => IDS", file, n)
			}
			var want []string
			for _, id := range strings.Split(ids, ",") {
				if id = strings.TrimSpace(id); id != "" {
					want = append(want, id)
				}
			}
			cases = append(cases, segmentCase{n, strings.TrimSpace(q), want})
		default:
			t.Fatalf("%s:%d: line outside a section", file, n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sessions, cases
}
