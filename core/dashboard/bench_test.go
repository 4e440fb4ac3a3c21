package dashboard

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/workspace"
)

// BenchmarkCards times every card kind over a workspace named by
// LOUPE_BENCH_WORKSPACE (e.g. one made by `loupe bench --sessions 100000
// --derive=false --out W`), over a period covering all of it, two ways:
// index/ as the workbench computes them (the analytics index built and
// warm, kept in memory only, so nothing is written beside the workspace)
// and sql/ from the workspace alone, the answer while the index builds.
//
//	LOUPE_BENCH_WORKSPACE=W/bench-100000.db go test ./core/dashboard -run '^$' -bench Cards -benchtime 9x
func BenchmarkCards(b *testing.B) {
	path := os.Getenv("LOUPE_BENCH_WORKSPACE")
	if path == "" {
		b.Skip("set LOUPE_BENCH_WORKSPACE to a workspace to time the cards over")
	}
	ctx := context.Background()
	db, err := workspace.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	live := index.NewLive(db, "")
	start := time.Now()
	live.Current(ctx) // starts the build
	live.Wait()
	x := live.Current(ctx)
	if x == nil {
		b.Fatal("the index did not build")
	}
	b.Logf("index of %d sessions built in %s", x.Len(), time.Since(start).Round(time.Millisecond))
	saved, err := db.SavedFunnels(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var shop []workspace.SavedFunnel
	if len(saved) == 0 { // a generated workspace has none: time the shop funnel, without writing it
		var q funnel.Query
		for _, s := range []string{"page:/", "page:/products*", "page:/cart*", "page:/checkout*"} {
			st, err := funnel.ParseStep(s)
			if err != nil {
				b.Fatal(err)
			}
			q.Steps = append(q.Steps, st)
		}
		shop = []workspace.SavedFunnel{{Name: "Shop", Query: q}}
	}
	names := make([]string, 0, len(kinds))
	for kind := range kinds {
		names = append(names, kind)
	}
	slices.Sort(names)
	for _, src := range []struct {
		name string
		src  Source
	}{{"index", withFunnels{live, shop}}, {"sql", withFunnels{db, shop}}} {
		b.Run(src.name, func(b *testing.B) {
			for _, kind := range names {
				b.Run(kind, func(b *testing.B) {
					for b.Loop() {
						if _, err := Data(ctx, src.src, Card{Kind: kind}, 3650); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// withFunnels is a source whose saved funnels are the given ones (when
// any), so a funnel card can be timed over a workspace that has none.
type withFunnels struct {
	Source
	saved []workspace.SavedFunnel
}

func (w withFunnels) SavedFunnels(ctx context.Context) ([]workspace.SavedFunnel, error) {
	if w.saved != nil {
		return w.saved, nil
	}
	return w.Source.SavedFunnels(ctx)
}
