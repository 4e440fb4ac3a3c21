// Package collector is Loupe's collector as a library: it
// takes tracker batches over HTTP, makes each durable in a per-session log
// before acknowledging it, seals idle sessions into archives
// (core/archive), puts them in an archive.Store, and serves them to
// analysts. The tracker-server binary and `loupe demo` both embed it.
//
// On disk, under Config.DataDir:
//
//	collector-id           stable id of this collector (archive keys, headers)
//	token                  analyst token (0600)
//	sealed.log             recently sealed parts and their seqs (dedup after seal)
//	quota.json             this month's new sessions per site (quotas)
//	open/SESSION.PART.log  durable log of one open session part
//	sealing/*.loupe        sealed archives waiting for (or in) upload
//	sealing/*.assets.json  the asset manifest a sealed part was built with
//	assets/ab/SHA256       fetched page assets, uploaded with their archives
//
// The logs stay the source of truth until the store has confirmed an
// archive: a store outage delays uploads, it never loses an acked batch.
package collector

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Errors the ingest path reports; the HTTP layer maps them to status codes.
var (
	// ErrClosed means the collector is shutting down and takes no batches.
	ErrClosed = errors.New("collector is shutting down")
	// ErrSiteMismatch means a session id already belongs to another site.
	ErrSiteMismatch = errors.New("session belongs to another site")
	// ErrSessionTooLarge means the session reached the collector's size
	// cap (Config.MaxSessionBytes): later batches are refused and the
	// archive is marked truncated.
	ErrSessionTooLarge = errors.New("session over the collector's size cap")
	// ErrTooManySessions means the site or the client address has as
	// many open sessions as the collector allows; the client may retry.
	ErrTooManySessions = errors.New("too many open sessions")
	// ErrSeqConflict means a seq the session already stored came again
	// with different events: the client reuses seqs, and storing either
	// copy silently would lose the other.
	ErrSeqConflict = errors.New("seq already stored with different content")
)

// seenRetention is how long seqs of sealed parts are remembered for dedup.
const seenRetention = 48 * time.Hour

// Collector ingests, logs, seals and serves sessions. Create it with New,
// serve Handler, run Run in a goroutine, and call Close on shutdown.
type Collector struct {
	cfg        Config
	id         string
	token      string
	openDir    string
	sealingDir string
	index      *sealedIndex
	started    time.Time

	mu      sync.Mutex
	closed  bool
	open    map[string]*session // session id → its open part
	openBy  map[string]int      // "site\x00KEY" / "addr\x00ADDR" → open parts
	handles *handlePool
	flusher *logFlusher // nil: each log flushes on its own
	seen    map[string]*seenSession
	pending map[string]*sealJob // log path → sealed part waiting for upload
	sealing int                 // parts taken from open but not yet in pending

	sealMu     sync.Mutex    // one sealer at a time: Run's seal loop or Close
	uploadSlot chan struct{} // one uploader at a time: Run's upload loop or Close
	wake       chan struct{} // the sealer queued archives
	stopped    atomic.Bool   // Close is done: no more uploads

	stats  counters
	assets *assetKeeper
	quota  *quotaBook
	errLog *logLimiter // errors that one fault can repeat per request
}

// session is the open part of one session.
type session struct {
	rec          openRecord
	addr         string
	path         string
	log          *logFile
	ready        chan struct{} // closed once log is created (or failed)
	createErr    error
	lastActivity time.Time
	created      time.Time
	inflight     sync.WaitGroup
}

// seenSession remembers every seq of one session id across its parts.
type seenSession struct {
	seqs      map[int64]seqMark
	bytes     int64 // log bytes across its parts, for the size cap
	truncated bool  // a batch was refused for the size cap
	nextPart  int
	touched   time.Time
}

// seqMark is what is remembered of one stored seq: its ack and the digest
// of its events (batchSum; 0 for entries written before digests were kept,
// which then match any repeat).
type seqMark struct {
	ack *ack
	sum uint64
}

// ack resolves once a batch is durable (err nil) or failed.
type ack struct {
	done chan struct{}
	err  error
}

// durable is the ack of batches read back from disk.
var durable = func() *ack { a := &ack{done: make(chan struct{})}; close(a.done); return a }()

// counters are the collector's cumulative figures for status and metrics.
type counters struct {
	batches, events, duplicates, rejected, errors atomic.Int64
	conflicts                                     atomic.Int64
	sealed, sealedBytes, uploadErrors             atomic.Int64
	// Page assets: fetched over HTTP, fetches that failed (any reason),
	// asset uses satisfied by bytes the store already held, and asset
	// bytes uploaded to the store.
	assetsFetched, assetsFailed, assetsDeduped, assetBytes atomic.Int64
}

// New opens (or creates) the data directory, recovers open sessions and
// pending archives from the durable logs, and returns a ready collector.
func New(cfg Config) (*Collector, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Collector{
		cfg:        cfg,
		openDir:    filepath.Join(cfg.DataDir, "open"),
		sealingDir: filepath.Join(cfg.DataDir, "sealing"),
		open:       map[string]*session{},
		openBy:     map[string]int{},
		handles:    newHandlePool(cfg.MaxOpenLogs),
		seen:       map[string]*seenSession{},
		pending:    map[string]*sealJob{},
		uploadSlot: make(chan struct{}, 1),
		wake:       make(chan struct{}, 1),
		started:    cfg.Now(),
		errLog:     newLogLimiter(5 * time.Second),
	}
	for _, d := range []string{cfg.DataDir, c.openDir, c.sealingDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	if c.id = cfg.CollectorID; c.id == "" {
		if c.id, err = loadOrCreateSecret(cfg.DataDir, "collector-id", 6, validCollectorID); err != nil {
			return nil, err
		}
	}
	if c.token = cfg.Token; c.token == "" {
		if c.token, err = loadOrCreateSecret(cfg.DataDir, "token", 24, validToken); err != nil {
			return nil, err
		}
	}
	if c.quota, err = loadQuotaBook(cfg.DataDir, cfg.Quotas, cfg.Logger); err != nil {
		return nil, err
	}
	if !cfg.FlushEachLog {
		if c.flusher, err = newLogFlusher(c.openDir); err != nil {
			return nil, fmt.Errorf("open data dir: %w", err)
		}
	}
	if err := c.recover(); err != nil {
		if c.index != nil {
			c.index.close()
		}
		c.flusher.close()
		return nil, err
	}
	c.assets = newAssetKeeper(cfg, &c.stats)
	return c, nil
}

// Token is the analyst token the archive API requires.
func (c *Collector) Token() string { return c.token }

// ID is the collector id used in archive keys.
func (c *Collector) ID() string { return c.id }

// Run seals idle and overlong sessions and uploads sealed archives until
// ctx ends; it returns ctx's error once both loops have stopped. Call it
// once, in its own goroutine. Sealing and uploading run apart, so an
// outage of the store delays only uploads.
func (c *Collector) Run(ctx context.Context) error {
	tick := min(max(c.cfg.SealAfter/4, 20*time.Millisecond), 5*time.Second)
	uploaderDone := make(chan struct{})
	go func() {
		defer close(uploaderDone)
		c.uploadLoop(ctx, tick)
	}()
	defer func() { <-uploaderDone }()
	t := time.NewTicker(tick)
	defer t.Stop()
	lastCompact := c.now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		c.sealSessions(false)
		if now := c.now(); now.Sub(lastCompact) >= time.Hour {
			lastCompact = now
			c.pruneSeen()
			if err := c.index.compact(seenRetention, now); err != nil {
				c.cfg.Logger.Warn("compact sealed index", "err", err)
			}
		}
	}
}

// Close stops ingest (later batches get ErrClosed), seals every open
// session, then uploads what it can until ctx ends. Sealing needs only the
// disk, so it completes however the store fares. Archives the store did
// not take stay on disk with their logs and upload on the next start;
// Close then reports how many wait.
func (c *Collector) Close(ctx context.Context) error {
	c.mu.Lock()
	already := c.closed
	c.closed = true
	c.mu.Unlock()
	if already {
		return nil
	}
	c.sealDue(ctx, true)
	defer c.assets.close()
	for {
		n, next := c.pendingState()
		if n == 0 {
			break
		}
		select {
		case <-ctx.Done():
			c.stopped.Store(true)
			c.index.close()
			c.flusher.close()
			return fmt.Errorf("close collector: %d sealed archives wait for the store and upload on the next start: %w", n, ctx.Err())
		case <-time.After(max(time.Until(next), time.Millisecond)):
		}
		c.retryPending(ctx)
	}
	c.stopped.Store(true)
	c.flusher.close()
	return c.index.close()
}

func (c *Collector) now() time.Time { return c.cfg.Now() }

// pruneSeen forgets seqs of sessions that have no open part and were last
// touched longer ago than the retention and, past MaxRememberedSessions,
// the least recently touched of the rest, bounding memory.
func (c *Collector) pruneSeen() {
	cutoff := c.now().Add(-seenRetention)
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, ss := range c.seen {
		if _, open := c.open[id]; !open && ss.touched.Before(cutoff) {
			delete(c.seen, id)
		}
	}
	c.trimSeen()
}

// trimSeen drops the least recently touched closed sessions while more
// than MaxRememberedSessions are remembered. A batch retried after its
// session was forgotten this way is stored again, a duplicate the
// workspace's merge by event drops; the cap only matters under a flood of
// session ids. The caller holds c.mu.
func (c *Collector) trimSeen() {
	over := len(c.seen) - c.cfg.MaxRememberedSessions
	if over <= 0 {
		return
	}
	type aged struct {
		id      string
		touched time.Time
	}
	var closed []aged
	for id, ss := range c.seen {
		if _, open := c.open[id]; !open {
			closed = append(closed, aged{id, ss.touched})
		}
	}
	slices.SortFunc(closed, func(a, b aged) int { return a.touched.Compare(b.touched) })
	for _, a := range closed[:min(over, len(closed))] {
		delete(c.seen, a.id)
	}
}

func (c *Collector) seenFor(id string) *seenSession {
	ss := c.seen[id]
	if ss == nil {
		if len(c.seen) >= c.cfg.MaxRememberedSessions+c.cfg.MaxRememberedSessions/10 {
			c.trimSeen() // amortised: once per tenth of the cap
		}
		ss = &seenSession{seqs: map[int64]seqMark{}}
		c.seen[id] = ss
	}
	return ss
}

func (c *Collector) logPath(session string, part int) string {
	return filepath.Join(c.openDir, fmt.Sprintf("%s.%d.log", session, part))
}
