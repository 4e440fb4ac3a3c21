package collector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/asset"
)

// manifestPath is where the manifest of the part logged at logPath is
// kept while the part waits for upload: sealing/SESSION.PART.assets.json.
// Keeping it makes a rebuild after a restart give the same archive bytes,
// whatever the network does meanwhile.
func (c *Collector) manifestPath(logPath string) string {
	name := strings.TrimSuffix(filepath.Base(logPath), ".log")
	return filepath.Join(c.sealingDir, name+".assets.json")
}

// sessionManifest returns the asset manifest of a sealed part: the kept
// one when the part was built before, else a new one made from its
// events, kept durably before use.
//
// eachEvent feeds the part's events to the extractor one at a time (the
// events are read from the log as needed, not held in memory). Should the
// disk be too full to keep the manifest, it is used unkept: a rebuild
// after a crash may then list different fetch results, which the upload
// handles as a key conflict (both archives are kept).
func (c *Collector) sessionManifest(logPath, site string, eachEvent func(fn func(json.RawMessage)) error) ([]archive.AssetRef, error) {
	p := c.manifestPath(logPath)
	if b, err := os.ReadFile(p); err == nil {
		var refs []archive.AssetRef
		if json.Unmarshal(b, &refs) == nil {
			return refs, nil
		}
		c.cfg.Logger.Warn("asset manifest unreadable; making it again", "path", p)
	}
	x := asset.NewExtractor()
	if err := eachEvent(func(ev json.RawMessage) { x.AddRaw(ev) }); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c.assets.ctxOrBackground(), c.cfg.Assets.SealTimeout)
	defer cancel()
	refs := c.assets.manifest(ctx, site, x.Refs())
	b, err := json.Marshal(refs)
	if err != nil {
		return nil, fmt.Errorf("encode asset manifest: %w", err)
	}
	if err := writeFileDurable(p, b, 0o600); err != nil {
		if !diskFull(err) {
			return nil, fmt.Errorf("keep asset manifest: %w", err)
		}
		c.errLog.log(c.cfg.Logger, slog.LevelWarn, "disk full: asset manifest used without keeping it", "path", p)
	}
	return refs, nil
}

// ctxOrBackground is the keeper's context, or a live one once the keeper
// is closed: a seal during shutdown still gets its bounded fetches.
func (k *assetKeeper) ctxOrBackground() context.Context {
	if k.ctx.Err() != nil {
		return context.Background()
	}
	return k.ctx
}

// manifest resolves a session's URLs and those inside its stylesheets
// (level by level, up to MaxCSSDepth) into manifest entries, every URL
// with a digest or a missing reason. The per-session caps apply in the
// order the page used the URLs, so what a page shows first is kept first.
func (k *assetKeeper) manifest(ctx context.Context, site string, refs []asset.Ref) []archive.AssetRef {
	var out []archive.AssetRef
	seen := map[string]bool{}
	level := make([]string, 0, len(refs))
	for _, r := range refs {
		if !seen[r.URL] {
			seen[r.URL] = true
			level = append(level, r.URL)
		}
	}
	kept := map[string]bool{}
	var total int64
	for depth := 0; len(level) > 0; depth++ {
		if depth > k.cfg.MaxCSSDepth {
			for _, u := range level {
				out = append(out, archive.AssetRef{URL: u, Missing: fmt.Sprintf("too deep: stylesheets nested over %d levels", k.cfg.MaxCSSDepth)})
			}
			break
		}
		results := k.resolveAll(ctx, site, level, len(out))
		var next []string
		for i, u := range level {
			res := results[i]
			ref := archive.AssetRef{URL: u, Missing: res.missing}
			if res.sha256 != "" {
				switch {
				case kept[res.sha256]:
					ref.SHA256, ref.Type, ref.Size = res.sha256, res.typ, res.size
				case total+res.size > k.cfg.MaxSessionBytes:
					ref.Missing = "session limit: assets over " + mib(k.cfg.MaxSessionBytes)
				default:
					total += res.size
					kept[res.sha256] = true
					ref.SHA256, ref.Type, ref.Size = res.sha256, res.typ, res.size
				}
			}
			out = append(out, ref)
			if ref.SHA256 != "" && res.typ == "text/css" {
				css, err := k.local.read(res.sha256)
				if err != nil {
					continue
				}
				for _, inner := range asset.CSSRefs(string(css), u) {
					if !seen[inner.URL] {
						seen[inner.URL] = true
						next = append(next, inner.URL)
					}
				}
			}
		}
		level = next
	}
	return out
}

// resolveAll resolves urls with at most Workers fetches at once. URLs past
// the session's MaxAssets (counting the already entries before them) are
// not fetched.
func (k *assetKeeper) resolveAll(ctx context.Context, site string, urls []string, already int) []urlResult {
	out := make([]urlResult, len(urls))
	if k.cfg.Disabled {
		for i := range out {
			out[i].missing = "asset fetching disabled"
		}
		return out
	}
	sem := make(chan struct{}, k.cfg.Workers)
	var wg sync.WaitGroup
	for i, u := range urls {
		if already+i >= k.cfg.MaxAssets {
			out[i].missing = fmt.Sprintf("too many assets: over %d in one session", k.cfg.MaxAssets)
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = k.resolve(ctx, site, u)
		}()
	}
	wg.Wait()
	return out
}

// uploadAssets puts every asset the manifest keeps into the store before
// the archive goes there, so a reader who sees the archive finds them. A
// store that keeps no assets gets none.
func (c *Collector) uploadAssets(ctx context.Context, refs []archive.AssetRef) error {
	store, ok := c.cfg.Store.(archive.AssetStore)
	if !ok {
		return nil
	}
	k := c.assets
	done := map[string]bool{}
	for _, r := range refs {
		if r.SHA256 == "" || done[r.SHA256] {
			continue
		}
		done[r.SHA256] = true
		k.mu.Lock()
		known := k.uploaded[r.SHA256]
		k.mu.Unlock()
		if !known {
			// A write-only key may not ask; then the upload itself tells.
			has, err := store.HasAsset(ctx, r.SHA256)
			known = err == nil && has
		}
		if known {
			c.stats.assetsDeduped.Add(1)
			k.markUploaded(r.SHA256)
			continue
		}
		f, err := os.Open(k.local.path(r.SHA256))
		if err != nil {
			return fmt.Errorf("asset %s of %s is no longer kept locally: %w", r.SHA256, r.URL, err)
		}
		err = store.PutAsset(ctx, r.SHA256, f, r.Size)
		f.Close()
		if errors.Is(err, archive.ErrDigestMismatch) {
			os.Remove(k.local.path(r.SHA256)) // the local copy is damaged
		}
		if err != nil {
			return fmt.Errorf("upload asset %s: %w", r.SHA256, err)
		}
		c.stats.assetBytes.Add(r.Size)
		k.markUploaded(r.SHA256)
	}
	return nil
}

func (k *assetKeeper) markUploaded(sum string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.uploaded) >= maxUploaded {
		clear(k.uploaded) // bounded; forgetting costs one HEAD per asset
	}
	k.uploaded[sum] = true
}
