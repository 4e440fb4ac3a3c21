package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// sealJob is a session part whose sealing has begun: its log holds a seal
// record with the archive key, and it stays pending until the store has
// the archive.
type sealJob struct {
	session  string
	part     int
	logPath  string
	key      string
	sealedAt time.Time

	// Filled once the archive is built into the sealing directory.
	built     bool
	tmpPath   string
	size      int64
	sha256    string
	seqs      []int64  // ascending, unique
	sums      []uint64 // batchSum of each seq
	logBytes  int64    // size of the part's log
	truncated bool     // the part reached the session size cap
	assets    []archive.AssetRef
	attempts  int
	nextTry   time.Time
}

// archiveKey names a sealed archive so that keys sort by seal time (the
// sync cursor order) and never collide between collectors sharing a store:
// 2026/11/26/20261126T221500.123456789Z-COLLECTORID-SESSIONID.loupe.
func archiveKey(sealedAt time.Time, collectorID, session string) string {
	t := sealedAt.UTC()
	return fmt.Sprintf("%s/%s-%s-%s.loupe", t.Format("2006/01/02"), t.Format("20060102T150405.000000000Z"), collectorID, session)
}

// sealDue seals the sessions that are due, then makes one upload pass.
// Sealing never waits for the store: every due part is built into the
// sealing directory and queued first, so a slow or unreachable store
// delays uploads, not seals. Run does the two steps in separate loops;
// Close and tests drive them through sealDue.
func (c *Collector) sealDue(ctx context.Context, all bool) {
	c.sealSessions(all)
	c.retryPending(ctx)
}

// sealSessions seals sessions idle for SealAfter or open for
// MaxSessionAge; with all set it seals every open session (shutdown). Each
// part's archive is built durably and queued for upload; nothing here
// talks to the store.
func (c *Collector) sealSessions(all bool) {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	now := c.now()
	c.mu.Lock()
	var due []*session
	for _, s := range c.open {
		if all || now.Sub(s.lastActivity) >= c.cfg.SealAfter || now.Sub(s.created) >= c.cfg.MaxSessionAge {
			due = append(due, s)
			c.removeOpen(s) // later batches open the next part
		}
	}
	c.sealing += len(due)
	c.mu.Unlock()
	slices.SortFunc(due, func(a, b *session) int { return a.lastActivity.Compare(b.lastActivity) })
	// Parts seal in parallel (each is mostly fsyncs), and each goes to the
	// uploader as soon as it is built, so a backlog of thousands of parts
	// after a restart starts uploading at once.
	next := make(chan *session)
	var wg sync.WaitGroup
	for range min(c.cfg.UploadWorkers, len(due)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				c.sealOne(s)
			}
		}()
	}
	for _, s := range due {
		next <- s
	}
	close(next)
	wg.Wait()
}

// sealOne seals one part taken from the open sessions and queues it.
func (c *Collector) sealOne(s *session) {
	job, err := c.startSeal(s)
	if err == nil && job != nil {
		err = c.buildQueued(job)
		c.wakeUploader()
	}
	c.mu.Lock()
	c.sealing--
	c.mu.Unlock()
	if err != nil {
		c.stats.errors.Add(1)
		c.errLog.log(c.cfg.Logger, slog.LevelError, "seal session", "session", s.rec.Session, "part", s.rec.Part, "err", err)
	}
}

// buildQueued builds a sealed part's archive and queues it for upload, so
// that what waits for the store is a finished file. A part with no batch
// is dropped. Should the build fail, the part is queued all the same and
// its upload builds it again from the log.
func (c *Collector) buildQueued(j *sealJob) error {
	err := c.build(j)
	if errors.Is(err, errEmptyPart) {
		c.finish(j, false)
		return nil
	}
	c.queue(j)
	if err != nil {
		return fmt.Errorf("build archive %s: %w", j.key, err)
	}
	return nil
}

// queue hands a sealed part to the uploader. Until then only its sealer
// touches it.
func (c *Collector) queue(j *sealJob) {
	c.mu.Lock()
	c.pending[j.logPath] = j
	c.mu.Unlock()
}

// startSeal waits for the part's in-flight batches, fixes its archive key
// in the log and closes the log; the caller queues the part. A part that
// never got a log returns nil.
func (c *Collector) startSeal(s *session) (*sealJob, error) {
	s.inflight.Wait()
	<-s.ready
	if s.createErr != nil {
		return nil, nil
	}
	sealedAt := c.now()
	job := &sealJob{
		session: s.rec.Session, part: s.rec.Part, logPath: s.path,
		key: archiveKey(sealedAt, c.id, s.rec.Session), sealedAt: sealedAt,
	}
	n, err := s.log.append(kindSeal, sealRecord{Key: job.key, SealedAt: sealedAt.UnixNano()})
	if err == nil {
		err = s.log.commit(n)
	}
	if cerr := s.log.close(); err == nil {
		err = cerr
	}
	if err != nil {
		// The key is not durable, so a restart would pick a new one; the
		// upload still proceeds from the log now.
		c.errLog.log(c.cfg.Logger, slog.LevelWarn, "seal record not written", "session", job.session, "err", err)
	}
	return job, nil
}

func (c *Collector) sealingPath(j *sealJob) string {
	return filepath.Join(c.sealingDir, fmt.Sprintf("%s.%d.loupe", j.session, j.part))
}
