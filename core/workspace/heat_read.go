package workspace

import (
	"context"
	"fmt"
	"sync"
)

// heatReaders is how many connections read a heatmap's packed rows at
// once. Each page's rows come back as one blob that SQLite builds on the
// reading connection, a third of a busy heatmap's time; two readers use
// both cores of a small laptop, and more would only queue.
const heatReaders = 2

// packedRows reads the packed rows of each page in paths from table
// (heat_rows or heat_moves), concatenated in session order: one blob per
// page, in the order of paths.
func (db *DB) packedRows(ctx context.Context, table string, paths []int64) ([][]byte, error) {
	query := `SELECT CAST(group_concat(data, '') AS BLOB) FROM ` + table + ` WHERE path_id = ?`
	out := make([][]byte, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(heatReaders, len(paths)) {
		wg.Go(func() {
			for i := range next {
				if err := db.db.QueryRowContext(ctx, query, paths[i]).Scan(&out[i]); err != nil {
					errs[i] = fmt.Errorf("%s of path %d: %w", table, paths[i], err)
				}
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pageRows is one page's packed rows read in session order, skipping the
// sessions out of scope (heatCursor, moveCursor).
type pageRows interface {
	// session is the rid of the current row's session.
	session() int64
	// advance moves to the next row in scope: false at the end or on
	// damage.
	advance(HeatmapScope) bool
	// damage is what ended advance early, naming the page; nil at a
	// clean end.
	damage() error
}

// bySession merges several pages' rows by session: fn gets the cursors
// on the lowest session left (the first of them in the order given),
// which then move on. The cursors start on their first row in scope.
// Each page's rows are in session order, so a heatmap adds its sessions
// in the order the facts have them.
func bySession[C pageRows](cursors []C, scope HeatmapScope, fn func(same []C)) error {
	var same []C
	for len(cursors) > 0 {
		same = same[:0]
		lowest := int64(0)
		for _, c := range cursors {
			switch sid := c.session(); {
			case len(same) == 0 || sid < lowest:
				same, lowest = append(same[:0], c), sid
			case sid == lowest:
				same = append(same, c)
			}
		}
		fn(same)
		live := cursors[:0]
		for _, c := range cursors {
			if c.session() == lowest && !c.advance(scope) {
				if err := c.damage(); err != nil {
					return err
				}
				continue
			}
			live = append(live, c)
		}
		cursors = live
	}
	return nil
}
