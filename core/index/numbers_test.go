package index_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
)

// intFields are the integer session columns the index holds.
var intFields = []string{"duration", "pageviews", "clicks", "rage_clicks", "dead_clicks",
	"error_clicks", "errors", "failed_requests", "events", "width", "height"}

// randomSessions gives every integer field a distribution of its own:
// few values, many, mostly zero, the int32 extremes.
func randomSessions(r *rand.Rand, n int) []*core.Facts {
	draw := func(field string) int {
		switch field {
		case "duration":
			return r.IntN(3_000_000)
		case "pageviews", "width":
			return 1 + r.IntN(15)
		case "events", "height":
			return r.IntN(100_000) - 50_000
		case "clicks":
			return []int{math.MinInt32, -1, 0, 1, math.MaxInt32}[r.IntN(5)]
		}
		if r.IntN(20) == 0 {
			return 1 + r.IntN(4)
		}
		return 0
	}
	out := make([]*core.Facts, n)
	for i := range out {
		s := core.Session{ID: fmt.Sprintf("s%05d", i)}
		s.DurationMS = int64(draw("duration"))
		s.Pageviews, s.Clicks, s.RageClicks = draw("pageviews"), draw("clicks"), draw("rage_clicks")
		s.DeadClicks, s.ErrorClicks, s.JSErrors = draw("dead_clicks"), draw("error_clicks"), draw("errors")
		s.FailedReqs, s.Events = draw("failed_requests"), draw("events")
		s.Viewport.W, s.Viewport.H = draw("width"), draw("height")
		out[i] = &core.Facts{Session: s}
	}
	return out
}

// TestIntegerFiltersAgreeWithEval holds every integer field's filters
// (=, !=, >, >=, <, <=, and two bounds in one AND) to segment.Eval over
// the sessions, from an index built from facts and from the same index
// read back from its file.
func TestIntegerFiltersAgreeWithEval(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	sessions := randomSessions(r, 5_000)
	built := fromFacts(t, sessions)
	path := filepath.Join(t.TempDir(), "x.index")
	if err := built.Save(path); err != nil {
		t.Fatal(err)
	}
	read, err := index.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ops := []segment.Op{segment.Eq, segment.Ne, segment.Gt, segment.Ge, segment.Lt, segment.Le}
	proper := 0
	for _, field := range intFields {
		for range 30 {
			v := segment.NumberOf(field, &sessions[r.IntN(len(sessions))].Session) + []float64{0, 0, 1, -1, 0.5}[r.IntN(5)]
			w := v + float64(r.IntN(200_000))
			var es []segment.Expr
			for _, op := range ops {
				es = append(es, segment.Cond{Field: field, Op: op, Num: v})
			}
			es = append(es, segment.And{segment.Cond{Field: field, Op: segment.Ge, Num: v}, segment.Cond{Field: field, Op: segment.Lt, Num: w}})
			for _, e := range es {
				want := referenceIDs(e, sessions)
				for name, x := range map[string]*index.Index{"built": built, "read back": read} {
					got, ok := x.IDs(e)
					if !ok {
						t.Fatalf("%s: not covered", e)
					}
					if len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
						t.Fatalf("%s index, %s: %d sessions, Eval %d", name, e, len(got), len(want))
					}
				}
				if len(want) > 0 && len(want) < len(sessions) {
					proper++
				}
			}
		}
	}
	if proper < len(intFields)*30*7/2 {
		t.Errorf("only %d filters selected a proper subset: the test checks too little", proper)
	}
}

// TestOlderIndexFileIsStale: a file of the previous layout (no range
// marks) is refused as stale, which makes Open rebuild it.
func TestOlderIndexFileIsStale(t *testing.T) {
	x := fromFacts(t, randomSessions(rand.New(rand.NewPCG(1, 1)), 100))
	path := filepath.Join(t.TempDir(), "x.index")
	if err := x.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copy(data, "LOUPEIX1")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.ReadFile(path); !errors.Is(err, index.ErrStale) {
		t.Fatalf("reading a version 1 file: %v, want ErrStale", err)
	}
}
