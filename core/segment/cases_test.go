package segment_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/segment/segmenttest"
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
			sessions, cases := segmenttest.ReadCases(t, file)
			for _, c := range cases {
				e, err := segment.Parse(c.Query)
				if err != nil {
					t.Errorf("line %d: %v", c.Line, err)
					continue
				}
				var got []string
				for _, f := range sessions {
					if segment.Eval(e, f) {
						got = append(got, f.Session.ID)
					}
				}
				if !reflect.DeepEqual(got, c.Want) {
					t.Errorf("line %d: %s => %v, want %v", c.Line, c.Query, got, c.Want)
				}
			}
		})
	}
}
