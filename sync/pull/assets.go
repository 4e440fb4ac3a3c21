package pull

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/source"
)

// maxAssetBytes bounds one asset read from a source. The collector keeps
// far smaller ones; anything larger is not a page asset.
const maxAssetBytes = 64 << 20

// AssetCounts says what a sync or import did with page assets.
type AssetCounts struct {
	// Fetched assets came from the source, Bytes of them.
	Fetched int   `json:"assets_fetched"`
	Bytes   int64 `json:"asset_bytes"`
	// Carried assets came inside the archives themselves.
	Carried int `json:"assets_carried"`
	// Present counts manifest references that needed no download: the
	// bytes were already in the workspace (deduplicated by content).
	Present int `json:"assets_present"`
	// Missing counts digests the source could not give (the reason is
	// recorded on each manifest entry).
	Missing int `json:"assets_missing"`
}

// manifestOf turns an archive's manifest into workspace rows.
func manifestOf(refs []archive.AssetRef) []workspace.SessionAsset {
	out := make([]workspace.SessionAsset, 0, len(refs))
	for _, r := range refs {
		out = append(out, workspace.SessionAsset{URL: r.URL, SHA256: r.SHA256, Type: r.Type, Missing: r.Missing})
	}
	return out
}

// assetSink is where an import puts a session's manifest and carried
// bytes: a sync's commit group or a single file's batch.
type assetSink interface {
	PutSessionAssets(session string, refs []workspace.SessionAsset) error
	PutAsset(sha, typ string, data []byte) (bool, error)
	HasAsset(sha string) (bool, error)
}

// recordAssets stores a just-imported session's manifest and the bytes
// its archive carried, counting references already present. seen holds
// digests already accounted for in this run (nil: none).
func recordAssets(b assetSink, session string, refs []archive.AssetRef, carried []archive.AssetData, seen map[string]bool, n *AssetCounts) error {
	if len(refs) == 0 {
		return nil
	}
	if err := b.PutSessionAssets(session, manifestOf(refs)); err != nil {
		return err
	}
	data := make(map[string]archive.AssetData, len(carried))
	for _, d := range carried {
		data[d.SHA256] = d
	}
	for _, r := range refs {
		if r.SHA256 == "" {
			continue
		}
		if seen[r.SHA256] {
			n.Present++
			continue
		}
		if seen != nil {
			seen[r.SHA256] = true
		}
		has, err := b.HasAsset(r.SHA256)
		if err != nil {
			return err
		}
		if has {
			n.Present++
			continue
		}
		if d, ok := data[r.SHA256]; ok {
			typ := d.Type
			if typ == "" {
				typ = r.Type
			}
			if _, err := b.PutAsset(d.SHA256, typ, d.Data); err != nil {
				return err
			}
			n.Carried++
		}
	}
	return nil
}

// fetchWantedAssets downloads every digest a manifest names and the
// workspace lacks, once each, on a few workers, verifying each against
// its digest. What the source cannot give is recorded as missing with the
// reason; only a cancelled context or a failing workspace stops it.
func fetchWantedAssets(ctx context.Context, src source.Source, db *workspace.DB, workers int, progress func(AssetCounts)) (AssetCounts, error) {
	var n AssetCounts
	wanted, err := db.WantedAssets(ctx)
	if err != nil || len(wanted) == 0 {
		return n, err
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	jobs := make(chan workspace.WantedAsset)
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range jobs {
				data, reason, err := fetchAsset(ctx, src, a.SHA256)
				if err == nil && reason == "" {
					_, err = db.PutAsset(ctx, a.SHA256, a.Type, data)
				} else if err == nil {
					err = db.MarkAssetUnavailable(ctx, a.SHA256, reason)
				}
				mu.Lock()
				switch {
				case err != nil:
					if first == nil {
						first = err
					}
				case reason != "":
					n.Missing++
				default:
					n.Fetched++
					n.Bytes += int64(len(data))
				}
				snapshot := n
				mu.Unlock()
				if progress != nil && err == nil {
					progress(snapshot)
				}
			}
		}()
	}
feed:
	for _, a := range wanted {
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			break
		}
		select {
		case jobs <- a:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	if first != nil {
		return n, fmt.Errorf("sync assets: %w", first)
	}
	return n, nil
}

// fetchAsset downloads and verifies one asset. A reason (and no error)
// says why the source could not give it; an error is the run's problem
// (cancelled).
func fetchAsset(ctx context.Context, src source.Source, sha string) ([]byte, string, error) {
	rc, err := src.OpenAsset(ctx, sha)
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "not at the source", nil
		}
		return nil, "source: " + err.Error(), nil
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxAssetBytes+1))
	switch {
	case ctx.Err() != nil:
		return nil, "", ctx.Err()
	case err != nil:
		return nil, "source: " + err.Error(), nil
	case len(data) > maxAssetBytes:
		return nil, fmt.Sprintf("too large: over %d MiB", maxAssetBytes>>20), nil
	case archive.SumAsset(data) != sha:
		return nil, "the source's bytes do not match their sha256", nil
	}
	return data, "", nil
}
