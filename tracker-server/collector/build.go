package collector

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
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

// sealInput is what an archive is made from: the log's index, its batches
// in seq order, the header and the asset manifest. Events are read from
// the log while the archive is written, one batch at a time, so building
// an archive takes memory for one batch whatever the session's size.
type sealInput struct {
	ix     *logIndex
	order  []batchRef
	header archive.Header
	assets []archive.AssetRef
}

// prepare indexes j's log and makes the header and manifest, and records
// the part's seqs and digests in j.
func (c *Collector) prepare(j *sealJob) (*sealInput, error) {
	ix, err := indexLog(j.logPath, false)
	if err != nil {
		return nil, fmt.Errorf("read log of %s: %w", j.key, err)
	}
	in := &sealInput{ix: ix, order: ix.ordered()}
	if len(in.order) == 0 {
		return nil, errEmptyPart
	}
	hb := newHeaderBuilder(ix.Open, c.id)
	if err := ix.eachBatch(in.order, func(b batchRecord) error { hb.add(b); return nil }); err != nil {
		return nil, err
	}
	in.header = hb.finish()
	in.header.Truncated = ix.Truncated
	in.assets, err = c.sessionManifest(j.logPath, ix.Open.Site, in.eachEvent)
	if err != nil {
		return nil, err
	}
	j.assets = in.assets
	j.logBytes, j.truncated = ix.Size, ix.Truncated
	j.seqs, j.sums = j.seqs[:0], j.sums[:0]
	for _, r := range in.order {
		j.seqs = append(j.seqs, r.seq)
		j.sums = append(j.sums, r.sum)
	}
	return in, nil
}

// eachEvent calls fn with every event of the part in archive order.
func (in *sealInput) eachEvent(fn func(json.RawMessage)) error {
	return in.ix.eachBatch(in.order, func(b batchRecord) error {
		for _, ev := range b.Events {
			fn(ev)
		}
		return nil
	})
}

// build turns j's log into an archive in the sealing directory (temp file,
// fsync, rename, fsync dir) and records its size, digest and seqs. The
// archive is a pure function of the log and the part's asset manifest
// (kept beside it once made), so a rebuild after a crash gives the same
// bytes.
func (c *Collector) build(j *sealJob) error {
	in, err := c.prepare(j)
	if err != nil {
		return err
	}
	j.tmpPath = c.sealingPath(j)
	size, sum, err := writeArchive(j.tmpPath, in)
	if err != nil {
		return err
	}
	j.size, j.sha256, j.built = size, sum, true
	return nil
}

// measure computes the size and digest of j's archive without writing it
// anywhere: a disk too full for the archive file can still upload it by
// encoding it twice, once to measure and once into the store.
func (in *sealInput) measure() (int64, string, error) {
	h := sha256.New()
	aw, err := in.encode(h)
	if err != nil {
		return 0, "", err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != aw.Sum() {
		return 0, "", fmt.Errorf("archive digest %s, writer says %s", got, aw.Sum())
	}
	return aw.Size(), aw.Sum(), nil
}

// orderBatches sorts batches by seq and keeps the first copy of a repeated
// seq (a log can hold one twice only if an append failed after writing).
func orderBatches(in []batchRecord) []batchRecord {
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b batchRecord) int { return cmp.Compare(a.Seq, b.Seq) })
	return slices.CompactFunc(out, func(a, b batchRecord) bool { return a.Seq == b.Seq })
}

// headerBuilder fills an archive header from the open record and the
// batches fed to it in archive order.
type headerBuilder struct {
	h           archive.Header
	first, last float64
	seen        bool
}

func newHeaderBuilder(open openRecord, collectorID string) *headerBuilder {
	return &headerBuilder{h: archive.Header{
		Format: archive.FormatName, Version: archive.Version,
		Site: open.Site, Session: open.Session, Visitor: open.Visitor,
		TrackerVersion: open.Tracker, UserAgent: open.UserAgent, Country: open.Country,
		Collector: collectorID, Part: open.Part, Source: "tracker",
		Pages: []string{},
	}}
}

func (hb *headerBuilder) add(b batchRecord) {
	h := &hb.h
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
		if !hb.seen || ev.Timestamp < hb.first {
			hb.first = ev.Timestamp
		}
		if !hb.seen || ev.Timestamp > hb.last {
			hb.last = ev.Timestamp
		}
		hb.seen = true
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

func (hb *headerBuilder) finish() archive.Header {
	if hb.seen {
		hb.h.StartedAt = time.UnixMilli(int64(hb.first)).UTC()
		hb.h.EndedAt = time.UnixMilli(int64(hb.last)).UTC()
	}
	return hb.h
}

// headerFor fills the archive header from the open record and the events.
func headerFor(open openRecord, batches []batchRecord, collectorID string) archive.Header {
	hb := newHeaderBuilder(open, collectorID)
	for _, b := range batches {
		hb.add(b)
	}
	return hb.finish()
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
// hex SHA-256. The temporary file is removed on every failure.
func writeArchive(path string, in *sealInput) (int64, string, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, "", fmt.Errorf("create sealed archive: %w", err)
	}
	defer os.Remove(tmp) // no-op after the rename
	aw, err := in.encode(f)
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

// encode writes the archive to w.
func (in *sealInput) encode(w io.Writer) (*archive.Writer, error) {
	aw, err := archive.NewWriter(w, in.header)
	if err != nil {
		return nil, fmt.Errorf("write archive header: %w", err)
	}
	err = in.ix.eachBatch(in.order, func(b batchRecord) error {
		for _, ev := range b.Events {
			if err := aw.Write(ev); err != nil {
				return fmt.Errorf("write archive event: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := aw.WriteAssets(in.assets); err != nil {
		return nil, fmt.Errorf("write archive asset manifest: %w", err)
	}
	if err := aw.Close(); err != nil {
		return nil, fmt.Errorf("finish archive: %w", err)
	}
	return aw, nil
}
