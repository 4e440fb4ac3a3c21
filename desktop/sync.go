package desktop

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop/synclock"
	"github.com/loupe-dev/loupe/sync/pull"
	"github.com/loupe-dev/loupe/sync/source"
)

// Sync brings sessions into the workspace: from a collector, an S3 bucket
// or a folder (one job at a time, in the background, with progress the UI
// polls), and from files dropped on the window.
type Sync struct {
	scope
	db     *workspace.DB
	notify Notifier
	*syncJob
}

// syncJob is the one sync job a workbench runs at a time. Sync holds it by
// pointer so that the copies browser mode makes for each call (see
// during, in dispatch.go) share it.
type syncJob struct {
	mu  sync.Mutex // never held across I/O: Status must answer at once
	job SyncStatus
}

// NewSync binds sync and import to a workspace; notify, if set, hears the
// alerts a sync or an import made fire.
func NewSync(db *workspace.DB, notify Notifier) *Sync {
	return &Sync{scope: unscoped(), db: db, notify: notify, syncJob: &syncJob{}}
}

func (s *Sync) tell(events []workspace.AlertEvent) {
	if s.notify == nil {
		return
	}
	for _, e := range events {
		s.notify(e)
	}
}

// SyncStatus is the current or last sync job.
type SyncStatus struct {
	Running  bool          `json:"running"`
	Source   string        `json:"source"`
	Started  time.Time     `json:"started"`
	Progress pull.Progress `json:"progress"`
	Report   *pull.Report  `json:"report,omitempty"`
	Error    *Error        `json:"error,omitempty"`
}

// SourcesView is what the sync view lists: each source's cursor, the
// archives set aside and the last syncs.
type SourcesView struct {
	Sources     []workspace.SourceState `json:"sources"`
	Quarantined []workspace.Quarantined `json:"quarantined"`
	History     []SyncRun               `json:"history"`
	// Assets is what the workspace holds in page assets.
	Assets workspace.AssetTotals `json:"assets"`
	// Quotas are the sites' monthly session quotas collectors reported.
	Quotas []workspace.SiteQuota `json:"quotas"`
}

// SyncRun is one finished sync, kept in the workspace's history.
type SyncRun struct {
	Source   string    `json:"source"`
	Finished time.Time `json:"finished"`
	Imported int       `json:"imported"`
	Skipped  int       `json:"skipped"`
	Problems int       `json:"problems"`
	Error    string    `json:"error,omitempty"`
	// Page assets: fetched from the source or carried in archives (and
	// their bytes), references already in the workspace, missing.
	AssetsFetched int   `json:"assets_fetched"`
	AssetBytes    int64 `json:"asset_bytes"`
	AssetsPresent int   `json:"assets_present"`
	AssetsMissing int   `json:"assets_missing"`
}

const (
	syncHistoryKey = "workbench.sync_history"
	syncHistoryMax = 20
)

// Sources lists the sources synced so far and the quarantined archives.
func (s *Sync) Sources() (SourcesView, error) {
	src, err := s.db.Sources(s.ctx)
	if err != nil {
		return SourcesView{}, fail(err, "list sources")
	}
	q, err := s.db.QuarantinedArchives(s.ctx)
	if err != nil {
		return SourcesView{}, fail(err, "list sources")
	}
	if src == nil {
		src = []workspace.SourceState{}
	}
	if q == nil {
		q = []workspace.Quarantined{}
	}
	hist := []SyncRun{}
	if _, err := s.db.Setting(s.ctx, syncHistoryKey, &hist); err != nil {
		return SourcesView{}, fail(err, "list sources")
	}
	assets, err := s.db.AssetTotals(s.ctx)
	if err != nil {
		return SourcesView{}, fail(err, "list sources")
	}
	quotas, err := s.db.SiteQuotas(s.ctx)
	if err != nil {
		return SourcesView{}, fail(err, "list sources")
	}
	return SourcesView{Sources: src, Quarantined: q, History: hist, Assets: assets, Quotas: quotas}, nil
}

// Start begins a sync from addr (http(s)://collector, s3://bucket/prefix
// ?endpoint=..., or a folder) with an analyst token for collectors. It
// returns once the source is open (an S3 bucket is probed first); Status
// reports progress. The sync runs for the app's lifetime, not the call's,
// and shutting down stops it.
func (s *Sync) Start(addr, token string) (SyncStatus, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return SyncStatus{}, fail(fmt.Errorf("give a collector URL, an s3:// address or a folder: %w", ErrInvalid), "start sync")
	}
	name := source.Name(addr)
	// The job is reserved under the lock and the source opened outside
	// it: opening an S3 source probes the network, which can take seconds.
	s.mu.Lock()
	if s.job.Running {
		defer s.mu.Unlock()
		return s.job, fail(fmt.Errorf("a sync from %s is already running: %w", s.job.Source, ErrConflict), "start sync")
	}
	prev := s.job
	s.job = SyncStatus{Running: true, Source: name, Started: time.Now().UTC()}
	started := s.job
	s.mu.Unlock()

	// One sync at a time per workspace across programs: the tray
	// companion may be syncing the same file.
	lock, err := synclock.TryAcquire(s.db.Path(), "workbench")
	if errors.Is(err, synclock.ErrBusy) {
		err = fmt.Errorf("%w: %w", err, ErrConflict)
	}
	var src source.Source
	if err == nil {
		src, err = source.Open(s.ctx, addr, token)
	}
	if err == nil {
		err = s.life.Go(func(ctx context.Context) {
			defer lock.Release()
			s.run(ctx, src, name)
		})
	}
	if err != nil {
		lock.Release() // nil-safe: a lock never taken releases nothing
		s.mu.Lock()
		s.job = prev
		s.mu.Unlock()
		return SyncStatus{}, fail(err, "start sync")
	}
	return started, nil
}

// run syncs under ctx, the app's lifetime; s may be a copy made for the
// call that started it, whose own context ends with that call.
func (s *Sync) run(ctx context.Context, src source.Source, name string) {
	rep, err := pull.Sync(ctx, src, s.db, pull.Options{Source: name, Progress: func(p pull.Progress) {
		s.mu.Lock()
		s.job.Progress = p
		s.mu.Unlock()
	}})
	s.tell(rep.Alerts)
	run := SyncRun{Source: name, Finished: time.Now().UTC(), Imported: rep.Imported + rep.Merged, Skipped: rep.Skipped, Problems: len(rep.Problems),
		AssetsFetched: rep.Assets.Fetched + rep.Assets.Carried, AssetBytes: rep.Assets.Bytes, AssetsPresent: rep.Assets.Present, AssetsMissing: rep.Assets.Missing}
	if err != nil {
		run.Error = err.Error()
	}
	// History is a convenience: failing to record it must not hide the
	// sync's own outcome, so its error is only reported when nothing else is.
	// A sync stopped by shutting down is still recorded, briefly, before
	// the workspace closes.
	record, cancel := context.WithTimeout(context.WithoutCancel(ctx), historyWrite)
	histErr := s.remember(record, run)
	cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.job.Running = false
	s.job.Report = &rep
	switch {
	case err != nil:
		s.job.Error = toError(fmt.Errorf("sync from %s: %w", name, err))
	case histErr != nil:
		s.job.Error = toError(fmt.Errorf("record sync history: %w", histErr))
	}
}

// historyWrite bounds recording a sync in the history; it runs even when
// the app is shutting down.
const historyWrite = 5 * time.Second

func (s *Sync) remember(ctx context.Context, run SyncRun) error {
	var hist []SyncRun
	if _, err := s.db.Setting(ctx, syncHistoryKey, &hist); err != nil {
		return err
	}
	hist = append([]SyncRun{run}, hist...)
	if len(hist) > syncHistoryMax {
		hist = hist[:syncHistoryMax]
	}
	return s.db.SetSetting(ctx, syncHistoryKey, hist)
}

// Status returns the current or last sync job.
func (s *Sync) Status() (SyncStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.job, nil
}

// DroppedFile is one file dropped on the workbench: its name (which names
// a plain rrweb export's session) and its bytes in base64.
type DroppedFile struct {
	Name   string `json:"name"`
	Base64 string `json:"base64"`
}

// ImportFiles imports dropped *.loupe archives and rrweb exports. Each
// file is imported on its own; a bad one is reported and the others go on.
func (s *Sync) ImportFiles(files []DroppedFile) ([]pull.FileResult, error) {
	if len(files) == 0 {
		return nil, fail(fmt.Errorf("no files: %w", ErrInvalid), "import")
	}
	dir, err := os.MkdirTemp("", "loupe-drop-")
	if err != nil {
		return nil, fail(err, "import")
	}
	defer os.RemoveAll(dir)
	var paths []string
	for i, f := range files {
		// Only the base name is kept: a dropped file names no folder.
		name := filepath.Base(strings.ReplaceAll(f.Name, "\\", "/"))
		if name == "." || name == "/" || name == "" {
			return nil, fail(fmt.Errorf("file %d has no name: %w", i+1, ErrInvalid), "import")
		}
		data, err := base64.StdEncoding.DecodeString(f.Base64)
		if err != nil {
			return nil, fail(fmt.Errorf("file %s: %w: %v", name, ErrInvalid, err), "import")
		}
		sub := filepath.Join(dir, fmt.Sprint(i))
		if err := os.Mkdir(sub, 0o700); err != nil {
			return nil, fail(err, "import")
		}
		p := filepath.Join(sub, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return nil, fail(err, "import")
		}
		paths = append(paths, p)
	}
	res, err := pull.ImportFiles(s.ctx, s.db, paths, nil)
	for i := range res {
		res[i].Path = filepath.Base(res[i].Path)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return res, fail(err, "import")
	}
	// Dropped files are a sync too: new sessions may cross an alert
	// threshold. A failing rule must not fail the import, which worked; the
	// scheduled check reports it.
	for _, r := range res {
		if r.Status == "imported" || r.Status == "merged" {
			checks, _ := alert.AfterSync(s.ctx, s.db, time.Now())
			s.tell(alert.Fired(checks))
			break
		}
	}
	return res, nil
}
