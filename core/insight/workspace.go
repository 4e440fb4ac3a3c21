package insight

import (
	"context"
	"fmt"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// ScanWorkspace loads the sessions of a workspace (in opt's segment) and
// scans them. The period filter is applied by Scan, which also needs the
// comparison period.
func ScanWorkspace(ctx context.Context, db *workspace.DB, opt Options) (*Report, error) {
	facts, err := LoadFacts(ctx, db, opt.Segment, opt.Progress)
	if err != nil {
		return nil, fmt.Errorf("scan workspace: %w", err)
	}
	// The segment was applied by the query; Scan need not test it again.
	opt.Segment = nil
	return Scan(facts, opt), nil
}

// LoadFacts reads the facts of every session in segment e (all when nil),
// one session at a time, calling progress (if set) every 1000 sessions.
func LoadFacts(ctx context.Context, db *workspace.DB, e segment.Expr, progress func(done, total int)) ([]*core.Facts, error) {
	ids, err := db.SessionIDs(ctx, e)
	if err != nil {
		return nil, err
	}
	facts := make([]*core.Facts, 0, len(ids))
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := db.Facts(ctx, id)
		if err != nil {
			return nil, err
		}
		facts = append(facts, f)
		if progress != nil && (i+1)%1000 == 0 {
			progress(i+1, len(ids))
		}
	}
	return facts, nil
}
