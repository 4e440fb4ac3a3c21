package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// uploadLoop uploads queued archives until ctx ends: on each tick for
// retries whose backoff has passed, and at once when the sealer queues new
// ones. It runs apart from the seal loop so that a store which answers
// slowly or not at all never delays sealing.
func (c *Collector) uploadLoop(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.wake:
		}
		c.retryPending(ctx)
	}
}

// wakeUploader tells the upload loop that new archives wait.
func (c *Collector) wakeUploader() {
	select {
	case c.wake <- struct{}{}:
	default: // a wake-up is already due
	}
}

// retryPending makes one upload pass over the archives whose backoff has
// passed, oldest seal first, with up to UploadWorkers uploads at once so
// that uploads keep up with sealing under load. A failed attempt ends the
// pass (no further archive is started): the store is most likely down,
// and trying every other archive against it would only hold the uploader
// (and Close) for one timeout each. The rest keep their turn for the next
// pass.
func (c *Collector) retryPending(ctx context.Context) {
	select {
	case c.uploadSlot <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-c.uploadSlot }()
	now := c.now()
	c.mu.Lock()
	var due []*sealJob
	for _, j := range c.pending {
		if !j.nextTry.After(now) {
			due = append(due, j)
		}
	}
	c.mu.Unlock()
	if len(due) == 0 {
		return
	}
	slices.SortFunc(due, func(a, b *sealJob) int { return a.sealedAt.Compare(b.sealedAt) })
	jobs := make(chan *sealJob)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(c.cfg.UploadWorkers, len(due)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if !c.upload(ctx, j) {
					failed.Store(true)
				}
			}
		}()
	}
	for _, j := range due {
		if ctx.Err() != nil || c.stopped.Load() || failed.Load() {
			break
		}
		jobs <- j
	}
	close(jobs)
	wg.Wait()
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

// upload builds the job's archive if needed and puts it in the store,
// giving the attempt at most UploadTimeout. On success the part is
// recorded in the sealed index and its log and archive file are removed;
// on failure everything stays and a retry is scheduled. It reports false
// when the store failed the attempt.
func (c *Collector) upload(ctx context.Context, j *sealJob) bool {
	actx, cancel := context.WithTimeout(ctx, c.cfg.UploadTimeout)
	err := c.tryUpload(actx, j)
	cancel()
	if err == nil {
		c.storeAnswered()
		return true
	}
	if errors.Is(err, errEmptyPart) {
		c.finish(j, false)
		return true
	}
	storeFailed := true
	if errors.Is(err, archive.ErrConflict) {
		// The key holds other bytes (an archive written by another build
		// before a crash): keep both rather than lose either.
		j.key = archiveKey(c.now(), c.id, j.session)
		storeFailed = false
		c.cfg.Logger.Warn("archive key taken by different bytes; sealing under a new key", "key", j.key)
	}
	c.mu.Lock()
	j.attempts++
	backoff := c.cfg.RetryMin << min(j.attempts-1, 20)
	if backoff > c.cfg.RetryMax || backoff <= 0 {
		backoff = c.cfg.RetryMax
	}
	j.nextTry = c.now().Add(backoff)
	attempt := j.attempts
	c.mu.Unlock()
	c.stats.uploadErrors.Add(1)
	c.errLog.log(c.cfg.Logger, slog.LevelWarn, "archive upload failed; kept on disk for retry",
		"key", j.key, "attempt", attempt, "retry_in", backoff, "err", err)
	return !storeFailed
}

// storeAnswered resets the backoff of every archive that waits after a
// failure once an upload has succeeded: the store is back, and archives
// should not sit out the rest of a backoff earned while it was down.
func (c *Collector) storeAnswered() {
	c.mu.Lock()
	reset := 0
	for _, j := range c.pending {
		if j.attempts > 0 {
			j.attempts, j.nextTry = 0, time.Time{}
			reset++
		}
	}
	c.mu.Unlock()
	if reset > 0 {
		c.wakeUploader()
	}
}

func (c *Collector) tryUpload(ctx context.Context, j *sealJob) error {
	if !j.built {
		if err := c.build(j); err != nil {
			if diskFull(err) {
				return c.uploadFromLog(ctx, j)
			}
			return err
		}
	}
	f, err := os.Open(j.tmpPath)
	if err != nil {
		j.built = false // rebuilt from the log next time
		return fmt.Errorf("open sealed archive: %w", err)
	}
	defer f.Close()
	if err := c.uploadAssets(ctx, j.assets); err != nil {
		return err
	}
	if err := c.cfg.Store.Put(ctx, j.key, f, j.size, j.sha256); err != nil {
		return fmt.Errorf("put %s: %w", j.key, err)
	}
	return c.finish(j, true)
}

// uploadFromLog uploads j's archive straight from its log when the disk
// has no room for the archive file: it encodes the archive once to learn
// its size and digest, then again into the store. Uploading frees the
// log, so a full disk drains by itself.
func (c *Collector) uploadFromLog(ctx context.Context, j *sealJob) error {
	in, err := c.prepare(j)
	if err != nil {
		return err
	}
	size, sum, err := in.measure()
	if err != nil {
		return err
	}
	if err := c.uploadAssets(ctx, j.assets); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	encoded := make(chan struct{})
	go func() {
		defer close(encoded)
		_, err := in.encode(pw)
		pw.CloseWithError(err)
	}()
	err = c.cfg.Store.Put(ctx, j.key, pr, size, sum)
	pr.CloseWithError(errors.New("upload ended")) // stops the encoder if Put returned early
	<-encoded
	if err != nil {
		return fmt.Errorf("put %s: %w", j.key, err)
	}
	j.size, j.sha256 = size, sum
	return c.finish(j, true)
}

// finish records a stored part in the sealed index, then removes its log
// and archive file. The index entry comes first: should the process die
// in between, recovery sees the part as stored and only deletes leftovers.
func (c *Collector) finish(j *sealJob, stored bool) error {
	if stored {
		err := c.index.add(sealedEntry{
			Session: j.session, Part: j.part, Key: j.key,
			Seqs: seqRanges(j.seqs), Sums: j.sums, Bytes: j.logBytes, Truncated: j.truncated, SealedAt: j.sealedAt.UnixMilli(),
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
	leftovers := []string{j.logPath, j.tmpPath}
	if j.logPath != "" {
		leftovers = append(leftovers, c.manifestPath(j.logPath))
	}
	for _, p := range leftovers {
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
