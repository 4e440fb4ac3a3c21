package collector

import "time"

// Status is the collector's state and cumulative figures since start, as
// served at GET /v1/status.
type Status struct {
	Collector      string    `json:"collector"`
	StartedAt      time.Time `json:"started_at"`
	OpenSessions   int       `json:"open_sessions"`
	PendingUploads int       `json:"pending_uploads"` // sealing or waiting for the store
	OpenLogFiles   int       `json:"open_log_files"`  // session logs holding a file descriptor
	Remembered     int       `json:"remembered_sessions"`
	SealedArchives int64     `json:"sealed_archives"`
	SealedBytes    int64     `json:"sealed_bytes"`
	Batches        int64     `json:"batches"`
	Events         int64     `json:"events"`
	Duplicates     int64     `json:"duplicates"`
	Conflicts      int64     `json:"conflicts"` // repeated seqs with other content (409)
	Rejected       int64     `json:"rejected"`
	Errors         int64     `json:"errors"`
	UploadErrors   int64     `json:"upload_errors"`
	AssetsFetched  int64     `json:"assets_fetched"`
	AssetsFailed   int64     `json:"assets_failed"`
	AssetsDeduped  int64     `json:"assets_deduped"`
	AssetBytes     int64     `json:"asset_bytes"`
	// Flush is what the shared flush rounds did since start.
	Flush FlushStats `json:"flush"`
	// Sites is each site's session quota state this month.
	Sites []SiteUsage `json:"sites"`
}

// Status reports the collector's current state.
func (c *Collector) Status() Status {
	c.mu.Lock()
	open, pending, remembered := len(c.open), len(c.pending)+c.sealing, len(c.seen)
	c.mu.Unlock()
	return Status{
		Collector:      c.id,
		StartedAt:      c.started.UTC(),
		OpenSessions:   open,
		PendingUploads: pending,
		OpenLogFiles:   c.handles.open(),
		Remembered:     remembered,
		SealedArchives: c.stats.sealed.Load(),
		SealedBytes:    c.stats.sealedBytes.Load(),
		Batches:        c.stats.batches.Load(),
		Events:         c.stats.events.Load(),
		Duplicates:     c.stats.duplicates.Load(),
		Conflicts:      c.stats.conflicts.Load(),
		Rejected:       c.stats.rejected.Load(),
		Errors:         c.stats.errors.Load(),
		UploadErrors:   c.stats.uploadErrors.Load(),
		AssetsFetched:  c.stats.assetsFetched.Load(),
		AssetsFailed:   c.stats.assetsFailed.Load(),
		AssetsDeduped:  c.stats.assetsDeduped.Load(),
		AssetBytes:     c.stats.assetBytes.Load(),
		Flush:          c.flusher.snapshot(),
		Sites:          c.quota.usage(c.cfg.Sites, c.now()),
	}
}
