package index

import (
	"context"
	"sync"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Live keeps a workspace's index current for a long-running process (the
// workbench). A query first reads the workspace's change counters: when
// only imports happened since, the index is extended there and then (it
// loads just the new sessions); when there is no index yet, or something
// else changed, it is opened or rebuilt in the background and the query
// runs in SQL meanwhile, so no query ever waits for a full build.
type Live struct {
	db   *workspace.DB
	path string // the compact file, beside the workspace; "" for none

	mu       sync.Mutex
	x        *Index
	building bool
	bg       sync.WaitGroup // background builds and saves
}

// NewLive serves db's index, kept in the file at path (PathFor), or only
// in memory when path is "".
func NewLive(db *workspace.DB, path string) *Live { return &Live{db: db, path: path} }

// Current returns an index that reflects the workspace now, or nil while
// one is being built in the background.
func (l *Live) Current(ctx context.Context) *Index {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.building {
		return nil
	}
	if l.x != nil {
		g, err := ReadGeneration(ctx, l.db.DB())
		if err != nil {
			return nil
		}
		if g == l.x.gen {
			return l.x
		}
		if g.Changed == l.x.gen.Changed && g.Appended > l.x.gen.Appended {
			if y, err := l.x.Refresh(ctx, l.db.DB()); err == nil {
				l.x = y
				if l.path != "" {
					l.bg.Go(func() { y.Save(l.path) }) // best effort: the next process starts from it
				}
				return y
			}
		}
	}
	l.building = true
	l.bg.Go(func() {
		var x *Index
		var err error
		if l.path == "" {
			x, err = Build(context.WithoutCancel(ctx), l.db.DB())
		} else {
			x, err = Open(context.WithoutCancel(ctx), l.db.DB(), l.path)
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		l.building = false
		if x != nil && (err == nil || l.x == nil) {
			l.x = x
		}
	})
	return nil
}

// Funnel answers q from the index when it is ready and covers q, else
// from the workspace; the answers are the same.
func (l *Live) Funnel(ctx context.Context, q funnel.Query) (*funnel.Result, error) {
	if x := l.Current(ctx); x != nil {
		res, ok, err := x.Funnel(q)
		if err != nil || ok {
			return res, err
		}
	}
	return l.db.Funnel(ctx, q)
}

// Heatmap is workspace.DB.Heatmap. A heatmap narrowed by device, segment
// or period takes its sessions from the index when it is ready and covers
// the segment (the workspace would read every session row for them); the
// heat rows themselves are always the workspace's.
func (l *Live) Heatmap(ctx context.Context, q heatmap.Query) (*heatmap.Data, error) {
	if q.Device != "" || q.Segment != nil || !q.From.IsZero() || !q.To.IsZero() {
		if x := l.Current(ctx); x != nil {
			if scope, ok := x.HeatmapScope(q); ok {
				return l.db.HeatmapWithin(ctx, q, scope)
			}
		}
	}
	return l.db.Heatmap(ctx, q)
}

// Wait waits for the builds and saves running in the background.
func (l *Live) Wait() { l.bg.Wait() }
