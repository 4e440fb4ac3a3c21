package collector

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// errEmptyPart means a part's log holds no batch: there is nothing to archive.
var errEmptyPart = errors.New("session part has no batches")

// build turns j's log into an archive in the sealing directory (temp file,
// fsync, rename, fsync dir) and records its size, digest and seqs. The
// archive is a pure function of the log and the part's asset manifest
// (kept beside it once made), so a rebuild after a crash gives the same
// bytes.
func (c *Collector) build(j *sealJob) error {
	lg, err := readLog(j.logPath, false)
	if err != nil {
		return fmt.Errorf("read log of %s: %w", j.key, err)
	}
	batches := orderBatches(lg.Batches)
	if len(batches) == 0 {
		return errEmptyPart
	}
	h := headerFor(lg.Open, batches, c.id)
	refs, err := c.sessionManifest(j.logPath, lg.Open.Site, batches)
	if err != nil {
		return err
	}
	j.assets = refs
	j.tmpPath = c.sealingPath(j)
	size, sum, err := writeArchive(j.tmpPath, h, batches, refs)
	if err != nil {
		return err
	}
	j.size, j.sha256, j.built = size, sum, true
	j.seqs, j.sums = j.seqs[:0], j.sums[:0]
	for _, b := range batches {
		j.seqs = append(j.seqs, b.Seq)
		j.sums = append(j.sums, batchSum(b.Events))
	}
	return nil
}

// orderBatches sorts batches by seq and keeps the first copy of a repeated
// seq (a log can hold one twice only if an append failed after writing).
func orderBatches(in []batchRecord) []batchRecord {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b batchRecord) int { return cmp.Compare(a.Seq, b.Seq) })
	return slices.CompactFunc(out, func(a, b batchRecord) bool { return a.Seq == b.Seq })
}

// headerFor fills the archive header from the open record and the events.
func headerFor(open openRecord, batches []batchRecord, collectorID string) archive.Header {
	h := archive.Header{
		Format: archive.FormatName, Version: archive.Version,
		Site: open.Site, Session: open.Session, Visitor: open.Visitor,
		TrackerVersion: open.Tracker, UserAgent: open.UserAgent, Country: open.Country,
		Collector: collectorID, Part: open.Part, Source: "tracker",
		Pages: []string{},
	}
	var first, last float64
	seen := false
	for _, b := range batches {
		if h.TrackerVersion == "" {
			h.TrackerVersion = b.Tracker
		}
		for _, raw := range b.Events {
			var ev struct {
				Type      rrweb.EventType `json:"type"`
				Timestamp float64         `json:"timestamp"`
				Data      json.RawMessage `json:"data"`
			}
			if json.Unmarshal(raw, &ev) != nil {
				continue // validated at ingest; a surprise here must not stop the seal
			}
			if !seen || ev.Timestamp < first {
				first = ev.Timestamp
			}
			if !seen || ev.Timestamp > last {
				last = ev.Timestamp
			}
			seen = true
			if ev.Type == rrweb.Meta {
				var meta struct {
					Href string `json:"href"`
				}
				if json.Unmarshal(ev.Data, &meta) == nil && meta.Href != "" {
					h.Pages = append(h.Pages, pagePath(meta.Href))
				}
			}
		}
	}
	if seen {
		h.StartedAt = time.UnixMilli(int64(first)).UTC()
		h.EndedAt = time.UnixMilli(int64(last)).UTC()
	}
	return h
}

// pagePath is the URL path of href without query or fragment ("/" if empty).
func pagePath(href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// writeArchive writes the archive durably to path and returns its size and
// hex SHA-256.
func writeArchive(path string, h archive.Header, batches []batchRecord, assets []archive.AssetRef) (int64, string, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, "", fmt.Errorf("create sealed archive: %w", err)
	}
	defer os.Remove(tmp) // no-op after the rename
	aw, err := encodeArchive(f, h, batches, assets)
	if err != nil {
		f.Close()
		return 0, "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return 0, "", fmt.Errorf("sync sealed archive: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, "", fmt.Errorf("close sealed archive: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return 0, "", fmt.Errorf("rename sealed archive: %w", err)
	}
	if err := syncDir(dirOf(path)); err != nil {
		return 0, "", err
	}
	return aw.Size(), aw.Sum(), nil
}

func encodeArchive(w io.Writer, h archive.Header, batches []batchRecord, assets []archive.AssetRef) (*archive.Writer, error) {
	aw, err := archive.NewWriter(w, h)
	if err != nil {
		return nil, fmt.Errorf("write archive header: %w", err)
	}
	for _, b := range batches {
		for _, ev := range b.Events {
			if err := aw.Write(ev); err != nil {
				return nil, fmt.Errorf("write archive event: %w", err)
			}
		}
	}
	if err := aw.WriteAssets(assets); err != nil {
		return nil, fmt.Errorf("write archive asset manifest: %w", err)
	}
	if err := aw.Close(); err != nil {
		return nil, fmt.Errorf("finish archive: %w", err)
	}
	return aw, nil
}
