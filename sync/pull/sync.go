package pull

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/source"
)

// Options tune a sync.
type Options struct {
	// Source names the source in the workspace (its cursor and quarantine
	// records); use source.Name(addr). Required.
	Source string
	// Workers download, verify and derive in parallel (default 4); one
	// writer imports, in listing order.
	Workers int
	// PageSize is how many entries one List call asks for (default 500).
	PageSize int
	// TempDir holds downloads in flight (default: beside the workspace).
	TempDir string
	// Progress, if set, is called after each archive from the writer.
	Progress func(Progress)
	// GroupSize is how many archives share one commit (default 256) and
	// GroupWait the longest a commit waits for more (default 250 ms).
	// Each archive is all-or-nothing (an import that fails rolls back
	// its whole group and stops the sync), and the cursor is committed
	// with the archives it passes, so it never runs ahead of what is in
	// the workspace. GroupSize 1 commits every
	// archive on its own, at about a third of the speed.
	GroupSize int
	GroupWait time.Duration
	// MaxEventBytes caps the events of one archive once inflated (default
	// DefaultMaxEventBytes). An archive over it is quarantined. Memory
	// does not depend on it (large archives are read as a stream, see
	// inMemoryEvents); it bounds the time a compression bomb can take.
	MaxEventBytes int64
}

// Report says what a sync did.
type Report struct {
	Source        string         `json:"source"`
	Listed        int            `json:"listed"`
	Imported      int            `json:"imported"`
	Merged        int            `json:"merged"`
	Skipped       int            `json:"skipped"`
	Quarantined   int            `json:"quarantined"`
	Events        int            `json:"events"`
	Bytes         int64          `json:"bytes"`
	Cursor        string         `json:"cursor"`
	Problems      []Problem      `json:"problems,omitempty"`
	Duration      time.Duration  `json:"duration_ns"`
	Uninterpreted map[string]int `json:"uninterpreted,omitempty"`
	// Assets is what the sync did with page assets: fetched (and bytes),
	// carried in archives, already present (deduplicated), missing.
	Assets AssetCounts `json:"assets"`
	// Alerts are the alert rules this sync's new data made fire.
	Alerts     []workspace.AlertEvent `json:"alerts,omitempty"`
	AlertError string                 `json:"alert_error,omitempty"`
	// QuotaError says why the source's site quotas could not be read; the
	// sync itself goes on without them.
	QuotaError string `json:"quota_error,omitempty"`
	// Quotas are the source's sites and their monthly session quotas.
	Quotas []workspace.SiteQuota `json:"quotas,omitempty"`
	// Expired counts the sessions the workspace's retention rule deleted
	// after this sync.
	Expired int `json:"expired,omitempty"`
}

// fetched is one archive after a worker handled it.
type fetched struct {
	entry  archive.Entry
	tmp    string // downloaded file when too large for memory, "" once moved or removed
	data   []byte // downloaded bytes otherwise, until parsed or kept aside
	sha    string
	size   int64
	events []rrweb.Event       // read, until prepared
	prep   workspace.Prepared  // derived and compressed for the writer
	assets []archive.AssetRef  // the archive's manifest (nil for version 1)
	carry  []archive.AssetData // asset bytes the archive carries
	skip   bool                // already imported
	bad    error               // unreadable: quarantine
	fatal  error               // stop the sync (network, disk)
}

// Sync pulls every archive the source lists after the workspace's cursor
// for it, verifies each against its listed sha256 and its own trailer,
// imports each atomically (in commit groups, see Options.GroupSize), and
// moves the cursor only past archives imported, already present or
// quarantined, in the same commit. A corrupt, truncated or
// tampered archive is quarantined (recorded in the workspace with the
// reason, the file kept aside) and the rest completes. A sync cut off
// (ctx cancelled, process killed) is finished by the next one.
func Sync(ctx context.Context, src source.Source, db *workspace.DB, opts Options) (Report, error) {
	began := time.Now()
	rep := Report{Source: opts.Source}
	if opts.Source == "" {
		return rep, errors.New("sync: the source has no name")
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.MaxEventBytes <= 0 {
		opts.MaxEventBytes = DefaultMaxEventBytes
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 500
	}
	if opts.GroupSize <= 0 {
		opts.GroupSize = 256
	}
	if opts.GroupWait <= 0 {
		opts.GroupWait = 250 * time.Millisecond
	}
	unordered := false
	if u, ok := src.(source.Unordered); ok {
		unordered = u.Unordered()
	}
	cursor := ""
	if !unordered {
		c, err := db.Cursor(ctx, opts.Source)
		if err != nil {
			return rep, err
		}
		cursor = c
	}
	rep.Cursor = cursor
	quotas, err := recordQuotas(ctx, src, db, opts.Source)
	if err != nil {
		rep.QuotaError = err.Error()
	}
	rep.Quotas = quotas
	defs, err := db.Definitions(ctx)
	if err != nil {
		return rep, err
	}
	tmpRoot := opts.TempDir
	if tmpRoot == "" {
		tmpRoot = filepath.Dir(db.Path())
	}
	removeStaleDownloads(tmpRoot)
	tmp, err := os.MkdirTemp(tmpRoot, ".loupe-sync-")
	if err != nil {
		return rep, fmt.Errorf("sync: make a folder for downloads: %w", err)
	}
	defer os.RemoveAll(tmp)

	setAside, err := quarantinedKeys(ctx, db, opts.Source)
	if err != nil {
		return rep, err
	}
	p := &pipeline{ctx: ctx, src: src, db: db, opts: opts, defs: defs, tmp: tmp, rep: &rep, unordered: unordered,
		seenAssets: map[string]bool{}, setAside: setAside}
	if unordered {
		// An unordered source is hashed whole on every run: one read of
		// the digests saves a query for each archive that is new.
		if p.known, err = db.ArchiveDigests(ctx); err != nil {
			return rep, fmt.Errorf("sync: %w", err)
		}
	}
	after := cursor
	for {
		entries, err := src.List(ctx, after, opts.PageSize)
		if err != nil {
			rep.Duration = time.Since(began)
			return rep, fmt.Errorf("sync from %s: %w", opts.Source, err)
		}
		if len(entries) == 0 {
			break
		}
		rep.Listed += len(entries)
		err = p.run(entries)
		// Commit what is complete even when the run stopped halfway.
		if ferr := p.flush(); err == nil {
			err = ferr
		}
		if err != nil {
			rep.Duration = time.Since(began)
			return rep, err
		}
		after = entries[len(entries)-1].Key
	}
	// Page assets the imported manifests name, and any an earlier run
	// could not fetch, come from the source once each.
	fetched, err := fetchWantedAssets(ctx, src, db, opts.Workers, func(a AssetCounts) {
		if opts.Progress != nil {
			opts.Progress(Progress{Total: rep.Listed, Done: p.done, Imported: rep.Imported, Skipped: rep.Skipped,
				Quarantined: rep.Quarantined, Bytes: rep.Bytes, Events: rep.Events, Current: "page assets",
				AssetsFetched: a.Fetched, AssetBytes: a.Bytes, AssetsPresent: rep.Assets.Present})
		}
	})
	rep.Assets.Fetched, rep.Assets.Bytes, rep.Assets.Missing = fetched.Fetched, fetched.Bytes, fetched.Missing
	if err != nil {
		rep.Duration = time.Since(began)
		return rep, err
	}
	if rep.Imported > 0 {
		// Saved tag rules tag the new sessions first, so alert rules (and
		// their segments) see them; then the alert rules are evaluated.
		if _, err := db.ApplyTagRules(ctx); err != nil {
			rep.Duration = time.Since(began)
			return rep, err
		}
		checks, err := alert.AfterSync(ctx, db, time.Now())
		rep.Alerts = alert.Fired(checks)
		if err != nil {
			rep.AlertError = err.Error() // the import stands; a rule's failure is reported
		}
	}
	// The retention rule runs after every sync, new sessions or not: days
	// pass without imports too.
	expired, err := db.ApplyRetention(ctx, time.Now())
	rep.Expired = len(expired.Sessions)
	rep.Duration = time.Since(began)
	return rep, err
}

// quarantinedKeys maps the keys of source's quarantined archives to their
// digests.
func quarantinedKeys(ctx context.Context, db *workspace.DB, source string) (map[string]string, error) {
	all, err := db.QuarantinedArchives(ctx)
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	out := map[string]string{}
	for _, q := range all {
		if q.Source == source && q.SHA256 != "" {
			out[q.Key] = q.SHA256
		}
	}
	return out, nil
}

// pipeline downloads with several workers and imports with one writer.
type pipeline struct {
	ctx  context.Context
	src  source.Source
	db   *workspace.DB
	opts Options
	defs core.Definitions
	tmp  string
	rep  *Report
	done int
	// unordered sources are rescanned from the start and keep no cursor.
	unordered bool

	// seenAssets are digests named by manifests already imported in this
	// run, for counting references that need no download.
	seenAssets map[string]bool
	// setAside maps the keys of this source quarantined by earlier runs to
	// the digest of the bytes set aside: a rescan of an unordered source
	// skips the same bytes without a query per archive.
	setAside map[string]string
	// known is the digests imported before this run, for unordered
	// sources (nil: ask the workspace for each archive).
	known *workspace.ArchiveDigests

	batch      *workspace.Batch // the open commit group, nil when none
	inBatch    int
	batchSince time.Time
}

// batchFor returns the open commit group, starting one if needed. It is
// not bound to the sync's context: work already done in it is committed
// even after a cancel.
func (p *pipeline) batchFor() (*workspace.Batch, error) {
	if p.batch != nil {
		return p.batch, nil
	}
	// Unguarded: a failing import stops the sync anyway, and then its
	// group is rolled back (flush) and imported again by the next sync,
	// the cursor never having moved past it; a savepoint per archive
	// would only pay a statement journal for every archive.
	b, err := p.db.BeginBulk(context.WithoutCancel(p.ctx))
	if err != nil {
		return nil, err
	}
	p.batch, p.inBatch, p.batchSince = b, 0, time.Now()
	return b, nil
}

// flush commits the open group, if any, or drops it when an import in
// it failed.
func (p *pipeline) flush() error {
	if p.batch == nil {
		return nil
	}
	b := p.batch
	p.batch = nil
	if b.Failed() != nil {
		// The error that spoiled the group is already on its way up.
		return b.Rollback()
	}
	if err := b.Commit(); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}

// run handles one listed page, importing in key order so the cursor only
// ever moves past archives that are in.
func (p *pipeline) run(entries []archive.Entry) error {
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	results, taken := inOrder(ctx, len(entries), p.opts.Workers, p.window(entries), func(i int) *fetched { return p.fetch(ctx, entries[i]) })
	for i := range entries {
		var f *fetched
		select {
		case f = <-results(i):
		case <-ctx.Done():
			return fmt.Errorf("sync: %w", ctx.Err())
		}
		taken()
		err := p.write(f)
		if f.tmp != "" {
			os.Remove(f.tmp)
		}
		if err != nil {
			cancel()
			// Let workers drop what they hold.
			for j := i + 1; j < len(entries); j++ {
				select {
				case g := <-results(j):
					if g.tmp != "" {
						os.Remove(g.tmp)
					}
				default:
				}
			}
			return err
		}
	}
	return nil
}

// aheadBytes bounds the archive bytes the workers hold ahead of the writer
// (by listed size); aheadPerWorker the number of archives.
const (
	aheadBytes     = 64 << 20
	aheadPerWorker = 16
)

// window lets the workers run up to 16 archives each ahead of the writer,
// within aheadBytes of listed size; an archive of unknown size counts as
// one held in memory at the largest size that is.
func (p *pipeline) window(entries []archive.Entry) window {
	return window{items: aheadPerWorker * p.opts.Workers, bytes: aheadBytes, weight: func(i int) int64 {
		if s := entries[i].Size; s > 0 {
			return s
		}
		return maxInMemory
	}}
}

// fetch downloads one archive to a temp file, verifies and reads it, and
// derives its facts.
func (p *pipeline) fetch(ctx context.Context, e archive.Entry) *fetched {
	f := &fetched{entry: e, sha: e.SHA256}
	if e.SHA256 != "" {
		has, err := p.db.HasArchive(ctx, e.SHA256)
		if err != nil {
			f.fatal = err
			return f
		}
		if has {
			f.skip = true
			return f
		}
	}
	if err := p.download(ctx, f); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, ErrDigestMismatch) {
			f.bad = err
		} else {
			f.fatal = fmt.Errorf("sync: download %s: %w", e.Key, err)
		}
		return f
	}
	if e.SHA256 == "" {
		// No listed digest (a folder): look the computed one up, both
		// among imported archives and among those already set aside.
		has := p.setAside[e.Key] == f.sha
		if !has && (p.known == nil || p.known.MayHave(f.sha)) {
			var err error
			if has, err = p.db.HasArchive(ctx, f.sha); err != nil {
				f.fatal = err
				return f
			}
		}
		if has {
			f.skip = true
			return f
		}
	}
	// The archive may be read twice (a large one is prepared as a
	// stream); failing to reopen the download is this machine's fault,
	// not the archive's.
	var reopen error
	open := func() (io.ReadCloser, error) {
		rc, err := f.open()
		if err != nil {
			reopen = err
		}
		return rc, err
	}
	a, err := prepareArchive(open, p.defs, p.opts.MaxEventBytes)
	switch {
	case reopen != nil:
		f.fatal = fmt.Errorf("sync: reopen download: %w", reopen)
		return f
	case err != nil:
		f.bad = err
		return f
	}
	if a.hdr.Session == "" {
		f.bad = fmt.Errorf("archive header names no session: %w", archive.ErrCorrupt)
		return f
	}
	f.prep, f.assets, f.carry = a.prep, a.assets, a.carry
	f.data = nil // parsed and good; no need to hold the bytes any longer
	return f
}

// maxInMemory is the largest archive held in memory while it is checked;
// larger ones go to a temp file. Workers hold at most aheadBytes of archives
// ahead of the writer (see window).
// A variable so tests can take the temp file path with small archives.
var maxInMemory int64 = 8 << 20

// download reads the archive, hashing as it goes, into memory or (when
// large) a temp file, and checks size and digest against the listing.
func (p *pipeline) download(ctx context.Context, f *fetched) error {
	rc, err := p.src.Open(ctx, f.entry.Key)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := sha256.New()
	var buf bytes.Buffer
	if f.entry.Size > 0 && f.entry.Size <= maxInMemory {
		// ReadFrom wants bytes.MinRead spare at the end, or it grows the
		// buffer once more.
		buf.Grow(int(f.entry.Size) + bytes.MinRead)
	}
	// The buffer reads straight from the source (io.Copy would allocate a
	// 32 KB buffer per archive), and the tee hashes what it reads.
	n, err := buf.ReadFrom(io.TeeReader(io.LimitReader(rc, maxInMemory+1), h))
	switch {
	case err != nil:
		return err
	case n <= maxInMemory:
		f.data = buf.Bytes()
	default:
		// Too large for memory: spill what was read and the rest to disk.
		out, err := os.CreateTemp(p.tmp, "dl-*.loupe")
		if err != nil {
			return err
		}
		f.tmp = out.Name()
		// The buffered bytes are hashed already; only the rest goes
		// through the hash.
		_, err = buf.WriteTo(out)
		var rest int64
		if err == nil {
			rest, err = io.Copy(io.MultiWriter(out, h), rc)
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		n += rest
	}
	f.size = n
	sum := hex.EncodeToString(h.Sum(nil))
	if f.entry.SHA256 != "" && !strings.EqualFold(sum, f.entry.SHA256) {
		return fmt.Errorf("%w: got sha256 %s, listed %s", ErrDigestMismatch, sum, f.entry.SHA256)
	}
	if f.entry.Size > 0 && n != f.entry.Size {
		return fmt.Errorf("%w: got %d bytes, listed %d", ErrDigestMismatch, n, f.entry.Size)
	}
	f.sha = sum
	return nil
}

// open returns the downloaded bytes for reading.
func (f *fetched) open() (io.ReadCloser, error) {
	if f.tmp == "" {
		return io.NopCloser(bytes.NewReader(f.data)), nil
	}
	return os.Open(f.tmp)
}

// write imports or quarantines one fetched archive and moves the cursor,
// in the open commit group.
func (p *pipeline) write(f *fetched) error {
	rep := p.rep
	key := f.entry.Key
	if f.fatal != nil {
		return f.fatal
	}
	b, err := p.batchFor()
	if err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	switch {
	case f.skip:
		rep.Skipped++
	case f.bad != nil:
		if err := p.quarantine(b, f, f.bad); err != nil {
			return err
		}
	default:
		res, err := b.AddPrepared(f.prep, key, f.sha)
		if errors.Is(err, workspace.ErrInvalidSession) {
			if qerr := p.quarantine(b, f, err); qerr != nil {
				return qerr
			}
			break
		}
		if err != nil {
			return fmt.Errorf("sync: import %s: %w", key, err)
		}
		switch {
		case res.Skipped:
			rep.Skipped++
		default:
			if err := recordAssets(b, f.prep.Header.Session, f.assets, f.carry, p.seenAssets, &rep.Assets); err != nil {
				return fmt.Errorf("sync: import %s: %w", key, err)
			}
			rep.Imported++
			if res.Merged {
				rep.Merged++
			}
			rep.Events += f.prep.Events()
			rep.Bytes += f.size
			for k, v := range res.Uninterpreted {
				if rep.Uninterpreted == nil {
					rep.Uninterpreted = map[string]int{}
				}
				rep.Uninterpreted[k] += v
			}
		}
	}
	if !p.unordered {
		if err := b.SetCursor(p.opts.Source, key); err != nil {
			return err
		}
		rep.Cursor = key
	}
	p.inBatch++
	if p.inBatch >= p.opts.GroupSize || time.Since(p.batchSince) >= p.opts.GroupWait {
		if err := p.flush(); err != nil {
			return err
		}
	}
	p.done++
	if p.opts.Progress != nil {
		p.opts.Progress(Progress{Total: rep.Listed, Done: p.done, Imported: rep.Imported, Skipped: rep.Skipped,
			Quarantined: rep.Quarantined, Bytes: rep.Bytes, Events: rep.Events, Current: key,
			AssetsPresent: rep.Assets.Present})
	}
	return nil
}

// quarantine records an unreadable archive and keeps its bytes aside.
func (p *pipeline) quarantine(b *workspace.Batch, f *fetched, reason error) error {
	kept := keepAside(quarantineDir(p.db.Path()), f.tmp, f.data, f.entry.Key)
	if kept != "" {
		f.tmp = ""
	}
	sha := f.sha
	if sha == "" {
		sha = f.entry.SHA256
	}
	if err := b.Quarantine(workspace.Quarantined{Source: p.opts.Source, Key: f.entry.Key,
		SHA256: sha, Reason: describe(reason), KeptAt: kept}); err != nil {
		return err
	}
	p.rep.Quarantined++
	p.rep.Problems = append(p.rep.Problems, Problem{Key: f.entry.Key, Reason: describe(reason), KeptAt: kept})
	return nil
}

// staleAfter is how old a download folder (and everything in it) must be
// before a later sync takes it for the leftover of a killed run and
// removes it; a live sync writes into its folder far more often.
const staleAfter = 10 * time.Minute

// touchedSince reports whether dir or any file in it was modified after t.
func touchedSince(dir string, t time.Time) bool {
	recent := false
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().After(t) {
			recent = true
			return filepath.SkipAll
		}
		return nil
	})
	return recent
}

// removeStaleDownloads deletes download folders left by syncs that were
// killed before they could clean up.
func removeStaleDownloads(root string) {
	dirs, _ := filepath.Glob(filepath.Join(root, ".loupe-sync-*"))
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && !touchedSince(d, time.Now().Add(-staleAfter)) {
			os.RemoveAll(d)
		}
	}
}
