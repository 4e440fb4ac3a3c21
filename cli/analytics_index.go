package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/workspace"
)

// openIndex opens the workspace's analytics index (core/index), building
// or extending its file beside the workspace as needed. A failure to write
// the file is a warning: the index in memory still answers. nil means use
// the workspace's own queries.
func openIndex(ctx context.Context, db *workspace.DB, stderr io.Writer) *index.Index {
	x, err := index.Open(ctx, db.DB(), index.PathFor(db.Path()))
	if err != nil {
		fmt.Fprintf(stderr, "warning: analytics index: %v\n", err)
	}
	return x
}

// indexedFunnel answers q from the index when it covers q, else from the
// workspace.
func indexedFunnel(ctx context.Context, db *workspace.DB, x *index.Index, q funnel.Query) (*funnel.Result, error) {
	if x != nil {
		res, ok, err := x.Funnel(q)
		if err != nil || ok {
			return res, err
		}
	}
	return db.Funnel(ctx, q)
}
