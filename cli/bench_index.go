package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// benchIndex builds the analytics index of the bench workspace, writes and
// reads back its file, and times the same filters and funnel through it.
// Every answer is checked against the workspace's: a fast wrong answer
// would be worthless.
func benchIndex(ctx context.Context, db *workspace.DB, q funnel.Query, runs int, row *benchRow, stderr io.Writer) error {
	fmt.Fprintln(stderr, "bench: building the analytics index")
	t0 := time.Now()
	x, err := index.Build(ctx, db.DB())
	if err != nil {
		return err
	}
	row.ixBuild = time.Since(t0)
	path := index.PathFor(db.Path())
	if err := x.Save(path); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	row.ixBytes = st.Size()
	ds, err := timeRuns(max(runs/3, 1), func() error { x, err = index.ReadFile(path); return err })
	if err != nil {
		return err
	}
	row.ixRead = percentile(ds, 0.5)
	for i, text := range benchSegments {
		e := segment.MustParse(text)
		var ids []string
		var hits int
		ds, err := timeRuns(runs, func() error {
			b, ok := x.Segment(e)
			if !ok {
				return fmt.Errorf("bench: the index does not cover %q", text)
			}
			hits, ids = int(b.GetCardinality()), x.Newest(b, 50)
			return nil
		})
		if err != nil {
			return err
		}
		want, _, err := db.SegmentPage(ctx, e, 50)
		if err != nil {
			return err
		}
		if hits != row.filterHits[i] || !reflect.DeepEqual(ids, want) {
			return fmt.Errorf("bench: index and workspace disagree on %q: %d and %d sessions", text, hits, row.filterHits[i])
		}
		row.ixFilters = append(row.ixFilters, [2]time.Duration{percentile(ds, 0.5), percentile(ds, 0.95)})
	}
	var res *funnel.Result
	ds, err = timeRuns(max(runs/3, 1), func() error {
		var ok bool
		res, ok, err = x.Funnel(q)
		if err == nil && !ok {
			err = fmt.Errorf("bench: the index does not cover the funnel")
		}
		return err
	})
	if err != nil {
		return err
	}
	want, err := db.Funnel(ctx, q)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(res.Steps, want.Steps) || res.Sessions != want.Sessions {
		return fmt.Errorf("bench: index and workspace funnels disagree")
	}
	row.ixFunnel = percentile(ds, 0.5)
	return nil
}

// benchSessionList times what the sessions view asks for: the count and
// the first 200 rows, newest first, then a jump to the middle of the
// list (the first jump builds the page anchors, later ones reuse them).
func benchSessionList(ctx context.Context, db *workspace.DB, n, runs int, row *benchRow) error {
	window := func(offset int) func() error {
		return func() error {
			q := workspace.SessionQuery{Sort: "-started_at", Limit: 200, Offset: offset}
			if _, err := db.Count(ctx, q); err != nil {
				return err
			}
			ss, err := db.Sessions(ctx, q)
			if err == nil && len(ss) != min(200, max(n-offset, 0)) {
				err = fmt.Errorf("bench: session window at %d has %d rows", offset, len(ss))
			}
			return err
		}
	}
	ds, err := timeRuns(runs, window(0))
	if err != nil {
		return err
	}
	row.listFirst = percentile(ds, 0.5)
	t0 := time.Now()
	if err := window(n / 2)(); err != nil {
		return err
	}
	row.listJumpCold = time.Since(t0)
	ds, err = timeRuns(runs, window(n/2+1234))
	if err != nil {
		return err
	}
	row.listJump = percentile(ds, 0.5)
	return nil
}
