package pull

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/source"
)

// BenchmarkSyncAssets syncs b.N archives from a store folder whose pages
// share a pool of 40 page assets (8–72 KiB each, 10 per page): the asset
// phase fetches each body once and counts the rest as deduplicated.
//
//	go test ./sync/pull -run '^$' -bench SyncAssets -benchtime 1000x
func BenchmarkSyncAssets(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	var pool []archive.AssetRef
	var poolBytes int64
	for i := 0; i < 40; i++ {
		body := make([]byte, 8<<10+(i%9)*(8<<10))
		for j := range body {
			body[j] = byte(i*31 + j*7)
		}
		sha := archive.SumAsset(body)
		p := filepath.Join(dir, filepath.FromSlash(archive.AssetKey(sha)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			b.Fatal(err)
		}
		pool = append(pool, archive.AssetRef{URL: fmt.Sprintf("https://cdn.test/a%02d.png", i), SHA256: sha, Type: "image/png", Size: int64(len(body))})
		poolBytes += int64(len(body))
	}
	for i := 0; i < b.N; i++ {
		refs := make([]archive.AssetRef, 0, 10)
		for k := 0; k < 10; k++ {
			refs = append(refs, pool[(i*7+k)%len(pool)])
		}
		data, _ := assetArchive(b, fmt.Sprintf("s_bench%07d", i), refs, nil)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%08d.loupe", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	db := openWorkspace(b)
	src, err := source.Open(ctx, dir, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	rep, err := Sync(ctx, src, db, Options{Source: source.Name(dir), Workers: 2})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if rep.Imported != b.N || rep.Assets.Fetched+rep.Assets.Present != 10*b.N {
		b.Fatalf("report %+v", rep)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
	b.ReportMetric(float64(rep.Assets.Fetched), "assets-fetched")
	b.ReportMetric(float64(rep.Assets.Present), "refs-deduplicated")
}
