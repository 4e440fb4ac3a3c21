package pull

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	fastjson "github.com/segmentio/encoding/json"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/source"
)

// SourceRRWebImport marks sessions imported from plain rrweb exports.
const SourceRRWebImport = "rrweb-import"

// maxImportFile bounds one file read whole into memory.
const maxImportFile = 1 << 30

// ErrNotRecording: a file is neither a Loupe archive nor an rrweb export.
var ErrNotRecording = errors.New("not a Loupe archive or an rrweb export")

// FileResult is what happened to one file of an import.
type FileResult struct {
	Path    string `json:"path"`
	Session string `json:"session,omitempty"`
	// Status is "imported", "merged", "skipped" (same bytes already in) or
	// "failed".
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Events int    `json:"events"`
	// Uninterpreted is what the file held that Loupe could not interpret,
	// by kind; the rest was imported.
	Uninterpreted map[string]int `json:"uninterpreted,omitempty"`
	// Assets summarises the session's page assets after the import
	// ("3 of 4 stored; 1 missing: http 404"), empty when the archive lists
	// none; AssetsCarried is how many the file itself brought.
	Assets        string `json:"assets,omitempty"`
	AssetsCarried int    `json:"assets_carried,omitempty"`
	err           error
}

// Err is the file's error, for errors.Is; nil unless Status is "failed".
func (r FileResult) Err() error { return r.err }

// ImportFiles imports Loupe archives (*.loupe) and plain rrweb exports (a
// JSON array of events, or an object with an "events" array) from paths;
// folders are searched for *.loupe and *.json files. A plain export's
// session id is its file name without extension and its source
// "rrweb-import". Each file is imported in its own transaction; a file
// that fails is reported and the others go on. The error is for the
// workspace itself failing, never for a bad file.
func ImportFiles(ctx context.Context, db *workspace.DB, paths []string, progress func(Progress)) ([]FileResult, error) {
	files, results := expandPaths(paths)
	defs, err := db.Definitions(ctx)
	if err != nil {
		return results, err
	}
	pr := Progress{Total: len(files) + len(results), Done: len(results), Failed: len(results)}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Files are read and derived by workers and written by this goroutine
	// in the order given, like a sync.
	ready, taken := readFiles(ctx, files, defs)
	// Files go into the workspace filesPerTx to a transaction: each file
	// is still its own savepoint, so one bad file loses nothing else, but
	// the transaction's setup (definitions, a connection, a few dozen
	// prepared statements) and commit are paid once per group, not once
	// per session, which was most of the time for small sessions.
	var batch *workspace.Batch
	defer func() {
		if batch != nil {
			batch.Rollback()
		}
	}()
	var pending []int // results whose asset summary waits for the commit
	inBatch := 0
	commit := func() error {
		if batch == nil {
			return nil
		}
		err := batch.Commit()
		batch, inBatch = nil, 0
		if err != nil {
			return err
		}
		for _, k := range pending {
			c, err := db.AssetCompleteness(ctx, results[k].Session)
			if err != nil {
				return err
			}
			results[k].Assets = c.Summary
		}
		pending = pending[:0]
		return nil
	}
	for i, path := range files {
		var f readFile
		select {
		case f = <-ready(i):
			taken()
		case <-ctx.Done():
			return results, ctx.Err()
		}
		r := FileResult{Path: path}
		if f.err != nil {
			r.Status, r.err = "failed", f.err
		} else {
			if batch == nil {
				if batch, err = db.BeginBulk(context.WithoutCancel(ctx)); err != nil {
					return results, err
				}
			}
			inBatch++
			res, counts, ierr := importWithAssets(batch, f, path)
			r.AssetsCarried = counts.Carried
			r.Session, r.Events, r.Uninterpreted = f.prep.Header.Session, res.Events, res.Uninterpreted
			switch {
			case errors.Is(ierr, workspace.ErrInvalidSession):
				r.Status, r.err = "failed", ierr
			case ierr != nil:
				return results, fmt.Errorf("import %s: %w", path, ierr)
			case res.Skipped:
				r.Status, r.Uninterpreted = "skipped", nil
				pr.Skipped++
			case res.Merged:
				r.Status = "merged"
			default:
				r.Status = "imported"
			}
			if r.Status == "imported" || r.Status == "merged" {
				pr.Imported++
				pr.Events += f.prep.Events()
				pr.Bytes += f.size
			}
		}
		if r.err != nil {
			r.Error = r.err.Error()
			pr.Failed++
		} else if len(f.assets) > 0 {
			pending = append(pending, len(results))
		}
		results = append(results, r)
		if inBatch >= filesPerTx {
			if err := commit(); err != nil {
				return results, err
			}
		}
		pr.Done++
		pr.Current = path
		if progress != nil {
			progress(pr)
		}
	}
	if err := commit(); err != nil {
		return results, err
	}
	if err := assetsFromStoreFolders(ctx, db, paths, results); err != nil {
		return results, err
	}
	if pr.Imported > 0 {
		if _, err := db.ApplyTagRules(ctx); err != nil {
			return results, err
		}
	}
	return results, nil
}

// assetsFromStoreFolders fetches the page assets the imported manifests
// name from any folder given that holds a store's assets/ folder (a copied
// file store), and brings each result's asset summary up to date.
func assetsFromStoreFolders(ctx context.Context, db *workspace.DB, paths []string, results []FileResult) error {
	fetched := false
	for _, p := range paths {
		if fi, err := os.Stat(filepath.Join(p, strings.TrimSuffix(archive.AssetPrefix, "/"))); err != nil || !fi.IsDir() {
			continue
		}
		src, err := source.Open(ctx, p, "")
		if err != nil {
			continue
		}
		n, err := fetchWantedAssets(ctx, src, db, 2, nil)
		if err != nil {
			return err
		}
		fetched = fetched || n.Fetched > 0
	}
	if !fetched {
		return nil
	}
	for i, r := range results {
		if r.Assets == "" {
			continue
		}
		c, err := db.AssetCompleteness(ctx, r.Session)
		if err != nil {
			return err
		}
		results[i].Assets = c.Summary
	}
	return nil
}

// filesPerTx is how many files share one import transaction.
const filesPerTx = 256

// importWithAssets imports one file's session, its asset manifest and the
// asset bytes it carries into the batch.
func importWithAssets(b *workspace.Batch, f readFile, path string) (workspace.ImportResult, AssetCounts, error) {
	var n AssetCounts
	res, err := b.AddPrepared(f.prep, path, f.sha)
	if err != nil {
		return res, n, err
	}
	if !res.Skipped {
		if err := recordAssets(b, f.prep.Header.Session, f.assets, f.carry, nil, &n); err != nil {
			return res, n, err
		}
	}
	return res, n, nil
}

// readFile is one file read, derived and compressed, ready to import.
type readFile struct {
	prep   workspace.Prepared
	assets []archive.AssetRef
	carry  []archive.AssetData
	sha    string
	size   int64
	err    error
}

// readFiles reads and derives files on a few workers, a bounded number
// ahead of the writer; result i arrives on channel i, and the writer calls
// taken after receiving each.
func readFiles(ctx context.Context, files []string, defs core.Definitions) (ready func(i int) <-chan readFile, taken func()) {
	workers := min(runtime.GOMAXPROCS(0), 4)
	win := window{items: aheadPerWorker * workers, bytes: aheadBytes, weight: func(i int) int64 {
		if fi, err := os.Stat(files[i]); err == nil {
			return fi.Size()
		}
		return 0 // the read reports the error
	}}
	return inOrder(ctx, len(files), workers, win, func(i int) readFile { return readAndDerive(files[i], defs) })
}

// readAndDerive reads one recording (a Loupe archive, told by its gzip
// magic, or a plain rrweb export), derives its facts and compresses its
// replay; the events are not kept.
func readAndDerive(path string, defs core.Definitions) readFile {
	data, err := readWhole(path)
	if err != nil {
		return readFile{err: err}
	}
	sum := sha256.Sum256(data)
	f := readFile{sha: hex.EncodeToString(sum[:]), size: int64(len(data))}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		a, err := prepareArchive(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }, defs, DefaultMaxEventBytes)
		if err != nil {
			return readFile{err: fmt.Errorf("read %s: %w", filepath.Base(path), err)}
		}
		if a.hdr.Session == "" {
			return readFile{err: fmt.Errorf("import %s: %w: the header names no session", path, workspace.ErrInvalidSession)}
		}
		f.prep, f.assets, f.carry = a.prep, a.assets, a.carry
		return f
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	hdr, events, unint, err := ParseExport(data, name)
	if err != nil {
		return readFile{err: fmt.Errorf("read %s: %w", filepath.Base(path), err)}
	}
	facts := derive.Session(hdr, events, defs)
	for k, v := range unint {
		if facts.Uninterpreted == nil {
			facts.Uninterpreted = map[string]int{}
		}
		facts.Uninterpreted[k] += v
	}
	if f.prep, err = workspace.Prepare(hdr, events, facts, defs); err != nil {
		return readFile{err: fmt.Errorf("import %s: %w", path, err)}
	}
	return f
}

// expandPaths lists the files to import; paths that cannot be read become
// failed results right away.
func expandPaths(paths []string) ([]string, []FileResult) {
	var files []string
	var failed []FileResult
	fail := func(p string, err error) {
		failed = append(failed, FileResult{Path: p, Status: "failed", Error: err.Error(), err: err})
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			fail(p, fmt.Errorf("read %s: %w", p, err))
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(path, err)
				return nil
			}
			ext := strings.ToLower(filepath.Ext(path))
			if !d.IsDir() && (ext == archive.KeySuffix || ext == ".json") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			fail(p, err)
		}
	}
	return files, failed
}

// readWhole reads a file to import, refusing one over maxImportFile.
// Archives are compressed, so this is their size on disk; what they
// inflate to is read as a stream (prepareArchive).
func readWhole(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if fi.Size() > maxImportFile {
		return nil, fmt.Errorf("read %s: %d bytes is over the %d byte limit", path, fi.Size(), maxImportFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// exportEvent is an rrweb event as found in the wild: every field
// optional, so a missing one is told apart from a zero.
type exportEvent struct {
	Type      *float64        `json:"type"`
	Data      json.RawMessage `json:"data"`
	Timestamp *float64        `json:"timestamp"`
	Delay     *float64        `json:"delay"`
}

// ParseExport reads a plain rrweb export: a JSON array of events or an
// object with an "events" array. Entries that are not events are left out
// and counted by kind in the returned map; the header is made up from the
// events (session id = name, source "rrweb-import").
func ParseExport(data []byte, name string) (archive.Header, []rrweb.Event, map[string]int, error) {
	hdr := archive.Header{Format: archive.FormatName, Version: archive.Version, Session: name, Source: SourceRRWebImport}
	data = bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf"))
	var (
		events []rrweb.Event
		unint  map[string]int
	)
	switch {
	case len(data) > 0 && (data[0] == '[' || data[0] == '{'):
		entries, ok := decodeEntries(data)
		if ok {
			events, unint = eventsOf(entries)
			break
		}
		raws, err := rawEntries(data)
		if err != nil {
			return hdr, nil, nil, err
		}
		events, unint = eventsOfRaw(raws)
	default:
		return hdr, nil, nil, fmt.Errorf("%w: expected a JSON array or object", ErrNotRecording)
	}
	if len(events) == 0 {
		return hdr, nil, nil, fmt.Errorf("%w: no rrweb events in it", ErrNotRecording)
	}
	first, last := events[0].Timestamp, events[len(events)-1].Timestamp
	if last < first {
		for _, e := range events {
			last = max(last, e.Timestamp)
		}
	}
	hdr.StartedAt = time.UnixMilli(first).UTC()
	hdr.EndedAt = time.UnixMilli(last).UTC()
	for _, e := range events {
		if e.Type != rrweb.Meta {
			continue
		}
		var meta struct {
			Href string `json:"href"`
		}
		if json.Unmarshal(e.Data, &meta) != nil {
			continue
		}
		u, err := url.Parse(meta.Href)
		if err != nil {
			continue
		}
		if hdr.Site == "" && u.Host != "" {
			hdr.Site = u.Host
		}
		p := u.Path
		if p == "" {
			p = "/"
		}
		if len(hdr.Pages) == 0 || hdr.Pages[len(hdr.Pages)-1] != p {
			hdr.Pages = append(hdr.Pages, p)
		}
	}
	if len(unint) == 0 {
		unint = nil
	}
	return hdr, events, unint, nil
}

// decodeEntries decodes an export's entries in one pass, when every one
// of them has an event's shape; ok is false otherwise (an entry of another
// kind, or the file is not JSON), and rawEntries then takes them one by
// one. The fast decoder reads the file once instead of once for the array
// and again for each entry, which was most of an import's time.
func decodeEntries(data []byte) (entries []exportEvent, ok bool) {
	if data[0] == '[' {
		return entries, fastjson.Unmarshal(data, &entries) == nil
	}
	var obj struct {
		Events *[]exportEvent `json:"events"`
	}
	if fastjson.Unmarshal(data, &obj) != nil || obj.Events == nil {
		return nil, false
	}
	return *obj.Events, true
}

// rawEntries splits an export into its entries without interpreting them.
func rawEntries(data []byte) ([]json.RawMessage, error) {
	var raws []json.RawMessage
	if data[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fmt.Errorf("%w: not valid JSON: %v", ErrNotRecording, err)
		}
		return raws, nil
	}
	var obj struct {
		Events *[]json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("%w: not valid JSON: %v", ErrNotRecording, err)
	}
	if obj.Events == nil {
		return nil, fmt.Errorf("%w: a JSON object without an \"events\" array", ErrNotRecording)
	}
	return *obj.Events, nil
}

// eventsOfRaw decodes entries one by one, counting those that are not
// rrweb events.
func eventsOfRaw(raws []json.RawMessage) ([]rrweb.Event, map[string]int) {
	entries := make([]exportEvent, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &entries[i]); err != nil {
			entries[i] = exportEvent{}
		}
	}
	return eventsOf(entries)
}

// eventsOf keeps the entries that are rrweb events, counting the others.
func eventsOf(entries []exportEvent) ([]rrweb.Event, map[string]int) {
	unint := map[string]int{}
	events := make([]rrweb.Event, 0, len(entries))
	for _, x := range entries {
		if x.Type == nil || x.Timestamp == nil || *x.Type != math.Trunc(*x.Type) ||
			math.IsInf(*x.Timestamp, 0) || math.IsNaN(*x.Timestamp) {
			unint["entry that is not an rrweb event"]++
			continue
		}
		e := rrweb.Event{Type: rrweb.EventType(*x.Type), Data: x.Data, Timestamp: int64(math.Round(*x.Timestamp)), Delay: x.Delay}
		if len(e.Data) == 0 {
			e.Data = json.RawMessage("{}")
		}
		events = append(events, e)
	}
	return events, unint
}
