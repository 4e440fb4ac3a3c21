package collector

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
	built    bool
	tmpPath  string
	size     int64
	sha256   string
	seqs     []int64
	attempts int
	nextTry  time.Time
}

// archiveKey names a sealed archive so that keys sort by seal time (the
// sync cursor order) and never collide between collectors sharing a store:
// 2026/11/26/20261126T221500.123456789Z-COLLECTORID-SESSIONID.loupe.
func archiveKey(sealedAt time.Time, collectorID, session string) string {
	t := sealedAt.UTC()
	return fmt.Sprintf("%s/%s-%s-%s.loupe", t.Format("2006/01/02"), t.Format("20060102T150405.000000000Z"), collectorID, session)
}

// sealDue seals sessions idle for SealAfter or open for MaxSessionAge; with
// all set it seals every open session (shutdown).
func (c *Collector) sealDue(ctx context.Context, all bool) {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	now := c.now()
	c.mu.Lock()
	var due []*session
	for id, s := range c.open {
		if all || now.Sub(s.lastActivity) >= c.cfg.SealAfter || now.Sub(s.created) >= c.cfg.MaxSessionAge {
			due = append(due, s)
			delete(c.open, id) // later batches open the next part
		}
	}
	c.sealing += len(due)
	c.mu.Unlock()
	slices.SortFunc(due, func(a, b *session) int { return a.lastActivity.Compare(b.lastActivity) })
	for _, s := range due {
		job, err := c.startSeal(s)
		c.mu.Lock()
		c.sealing--
		c.mu.Unlock()
		if err != nil {
			c.stats.errors.Add(1)
			c.cfg.Logger.Error("seal session", "session", s.rec.Session, "part", s.rec.Part, "err", err)
			continue
		}
		if job != nil {
			c.upload(ctx, job)
		}
	}
}

// startSeal waits for the part's in-flight batches, fixes its archive key
// in the log and closes the log. A part that never got a log returns nil.
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
		c.cfg.Logger.Warn("seal record not written", "session", job.session, "err", err)
	}
	c.mu.Lock()
	c.pending[job.logPath] = job
	c.mu.Unlock()
	return job, nil
}

// retryPending uploads pending archives whose backoff has passed.
func (c *Collector) retryPending(ctx context.Context) {
	c.sealMu.Lock()
	defer c.sealMu.Unlock()
	now := c.now()
	c.mu.Lock()
	var due []*sealJob
	for _, j := range c.pending {
		if !j.nextTry.After(now) {
			due = append(due, j)
		}
	}
	c.mu.Unlock()
	slices.SortFunc(due, func(a, b *sealJob) int { return a.sealedAt.Compare(b.sealedAt) })
	for _, j := range due {
		if ctx.Err() != nil {
			return
		}
		c.upload(ctx, j)
	}
}

// pendingState reports how many archives wait and when the next retry is.
func (c *Collector) pendingState() (int, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Time
	for _, j := range c.pending {
		if next.IsZero() || j.nextTry.Before(next) {
			next = j.nextTry
		}
	}
	return len(c.pending), next
}

// upload builds the job's archive if needed and puts it in the store. On
// success the part is recorded in the sealed index and its log and temp
// file are removed; on failure everything stays and a retry is scheduled.
func (c *Collector) upload(ctx context.Context, j *sealJob) {
	err := c.tryUpload(ctx, j)
	if err == nil {
		return
	}
	if errors.Is(err, errEmptyPart) {
		c.finish(j, false)
		return
	}
	if errors.Is(err, archive.ErrConflict) {
		// The key holds other bytes (an archive written by another build
		// before a crash): keep both rather than lose either.
		j.key = archiveKey(c.now(), c.id, j.session)
		c.cfg.Logger.Warn("archive key taken by different bytes; sealing under a new key", "key", j.key)
	}
	j.attempts++
	backoff := c.cfg.RetryMin << min(j.attempts-1, 20)
	if backoff > c.cfg.RetryMax || backoff <= 0 {
		backoff = c.cfg.RetryMax
	}
	j.nextTry = c.now().Add(backoff)
	c.stats.uploadErrors.Add(1)
	c.cfg.Logger.Warn("archive upload failed; kept on disk for retry",
		"key", j.key, "attempt", j.attempts, "retry_in", backoff, "err", err)
}

func (c *Collector) tryUpload(ctx context.Context, j *sealJob) error {
	if !j.built {
		if err := c.build(j); err != nil {
			return err
		}
	}
	f, err := os.Open(j.tmpPath)
	if err != nil {
		j.built = false // rebuilt from the log next time
		return fmt.Errorf("open sealed archive: %w", err)
	}
	defer f.Close()
	if err := c.cfg.Store.Put(ctx, j.key, f, j.size, j.sha256); err != nil {
		return fmt.Errorf("put %s: %w", j.key, err)
	}
	return c.finish(j, true)
}

// finish records a stored part in the sealed index, then removes its log
// and temp file. The index entry comes first: should the process die in
// between, recovery sees the part as stored and only deletes leftovers.
func (c *Collector) finish(j *sealJob, stored bool) error {
	if stored {
		err := c.index.add(sealedEntry{
			Session: j.session, Part: j.part, Key: j.key,
			Seqs: seqRanges(j.seqs), SealedAt: j.sealedAt.UnixMilli(),
		})
		if err != nil {
			return err
		}
	}
	c.removeLeftovers(j)
	c.mu.Lock()
	delete(c.pending, j.logPath)
	c.mu.Unlock()
	if stored {
		c.stats.sealed.Add(1)
		c.stats.sealedBytes.Add(j.size)
		c.cfg.Logger.Info("session sealed", "key", j.key, "bytes", j.size, "batches", len(j.seqs))
	}
	return nil
}

func (c *Collector) removeLeftovers(j *sealJob) {
	for _, p := range []string{j.logPath, j.tmpPath} {
		if p == "" {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			c.cfg.Logger.Warn("remove sealed leftover", "path", p, "err", err)
		}
	}
	for _, d := range []string{c.openDir, c.sealingDir} {
		if err := syncDir(d); err != nil {
			c.cfg.Logger.Warn("sync dir", "err", err)
		}
	}
}

func (c *Collector) sealingPath(j *sealJob) string {
	return filepath.Join(c.sealingDir, fmt.Sprintf("%s.%d.loupe", j.session, j.part))
}
