// Package segmenttest reads the segment case files (core/segment/testdata)
// for every package that answers segments: the reference evaluator, the
// SQL compiler and the analytics index run the same cases.
package segmenttest

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
)

// Case is one line of a case file: a segment and the session ids it
// must select.
type Case struct {
	Line  int
	Query string
	Want  []string
}

// ReadCases reads a case file: a "-- sessions --" section of facts, one
// JSON object a line, and a "-- cases --" section of "SEGMENT => ID, ID"
// lines; blank lines and # comments are skipped. A malformed file fails
// the test.
func ReadCases(t testing.TB, file string) ([]*core.Facts, []Case) {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var sessions []*core.Facts
	var cases []Case
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
			cases = append(cases, Case{Line: n, Query: strings.TrimSpace(q), Want: want})
		default:
			t.Fatalf("%s:%d: line outside a section", file, n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sessions, cases
}
