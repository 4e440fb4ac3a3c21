package funnel_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
)

// caseFile is a testdata/*.json file: sessions as facts and funnel cases.
type caseFile struct {
	Sessions []*core.Facts `json:"sessions"`
	Cases    []struct {
		Query funnel.Query `json:"query"`
		Want  struct {
			Sessions     int              `json:"sessions"`
			Counts       []int            `json:"counts"`
			DroppedAfter [][]string       `json:"dropped_after"`
			MedianMS     []int64          `json:"median_ms"`
			P90MS        []int64          `json:"p90_ms"`
			Breakdown    map[string][]int `json:"breakdown"`
		} `json:"want"`
	} `json:"cases"`
}

// TestCases runs every testdata/*.json file through both evaluators.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) == 0 {
		t.Fatal("no case files")
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cf caseFile
		if err := json.Unmarshal(b, &cf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, c := range cf.Cases {
			ref, err := funnel.Evaluate(c.Query, cf.Sessions)
			if err != nil {
				t.Fatalf("%s case %d: %v", file, i, err)
			}
			fast := fastPath(t, c.Query, cf.Sessions)
			for name, res := range map[string]*funnel.Result{"Evaluate": ref, "EvaluateTimelines": fast} {
				w := c.Want
				if res.Sessions != w.Sessions {
					t.Errorf("%s case %d %s: sessions %d, want %d", file, i, name, res.Sessions, w.Sessions)
				}
				var counts []int
				var median, p90 []int64
				var dropped [][]string
				for k, s := range res.Steps {
					counts = append(counts, s.Count)
					median = append(median, s.MedianMS)
					p90 = append(p90, s.P90MS)
					d := res.DroppedAfter(k)
					if d == nil {
						d = []string{}
					}
					dropped = append(dropped, d)
				}
				if !reflect.DeepEqual(counts, w.Counts) {
					t.Errorf("%s case %d %s: counts %v, want %v", file, i, name, counts, w.Counts)
				}
				if w.DroppedAfter != nil && !reflect.DeepEqual(dropped, w.DroppedAfter) {
					t.Errorf("%s case %d %s: dropped %v, want %v", file, i, name, dropped, w.DroppedAfter)
				}
				if w.MedianMS != nil && !reflect.DeepEqual(median, w.MedianMS) {
					t.Errorf("%s case %d %s: median %v, want %v", file, i, name, median, w.MedianMS)
				}
				if w.P90MS != nil && !reflect.DeepEqual(p90, w.P90MS) {
					t.Errorf("%s case %d %s: p90 %v, want %v", file, i, name, p90, w.P90MS)
				}
				if w.Breakdown != nil {
					got := map[string][]int{}
					for _, g := range res.Breakdown {
						got[g.Value] = g.Counts
					}
					if !reflect.DeepEqual(got, w.Breakdown) {
						t.Errorf("%s case %d %s: breakdown %v, want %v", file, i, name, got, w.Breakdown)
					}
				}
			}
		}
	}
}

// fastPath runs the timeline evaluator over the same facts, scoping the
// sessions the way the workspace does.
func fastPath(t *testing.T, q funnel.Query, sessions []*core.Facts) *funnel.Result {
	t.Helper()
	nq, err := q.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	var tls []funnel.Timeline
	for _, f := range sessions {
		if !nq.InRange(f.Session.StartedAt) || (nq.Segment != nil && !segmentEval(nq, f)) {
			continue
		}
		tls = append(tls, funnel.TimelineOf(nq, f))
	}
	res, err := funnel.EvaluateTimelines(q, tls)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
