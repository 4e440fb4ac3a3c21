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
