package collector

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// requestContext is what ingest keeps about the request beyond the batch.
type requestContext struct {
	userAgent string
	country   string
	addr      string // client address, for the per-address cap; never stored
}

// ingest makes b durable in its session's log and reports whether it was a
// duplicate of a batch already stored. It returns only once the batch (or
// the original it duplicates) is fsynced.
func (c *Collector) ingest(ctx context.Context, b *Batch, rc requestContext) (duplicate bool, err error) {
	if len(b.Events) == 0 {
		// Nothing to keep; acknowledging lets a tracker flush an empty
		// queue without special cases. It is checked before anything is
		// remembered so that empty batches under fresh session ids cost
		// no memory.
		return false, nil
	}
	sum := batchSum(b.Events)
	now := c.now()
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false, ErrClosed
	}
	s := c.open[b.Session]
	if s != nil && s.rec.Site != b.Site {
		c.mu.Unlock()
		return false, fmt.Errorf("%w: session %s", ErrSiteMismatch, b.Session)
	}
	// A repeat is answered before the caps: retrying a stored batch
	// costs nothing.
	if ss := c.seen[b.Session]; ss != nil {
		if prior, ok := ss.seqs[b.Seq]; ok {
			ss.touched = now
			c.mu.Unlock()
			if prior.sum != 0 && prior.sum != sum {
				return false, fmt.Errorf("%w: session %s seq %d", ErrSeqConflict, b.Session, b.Seq)
			}
			return c.awaitDuplicate(ctx, prior.ack)
		}
	}
	// Checked before the session is remembered, so a refused flood of new
	// ids costs no memory.
	if s == nil {
		if err := c.admitSession(b.Site, rc.addr); err != nil {
			c.mu.Unlock()
			return false, err
		}
	}
	ss := c.seenFor(b.Session)
	ss.touched = now
	cost := batchCost(b)
	if ss.bytes+cost > c.cfg.MaxSessionBytes {
		mark := s != nil && !ss.truncated
		ss.truncated = true
		if mark {
			s.inflight.Add(1)
		}
		c.mu.Unlock()
		if mark {
			c.markTruncated(s)
		}
		return false, fmt.Errorf("%w: the session has %d bytes, at most %d are kept", ErrSessionTooLarge, ss.bytes, c.cfg.MaxSessionBytes)
	}
	create := s == nil
	var quotaVersion uint64
	if create && ss.nextPart == 0 {
		// A session never seen before: the site's quota and sample
		// decide whether it is recorded at all.
		if quotaVersion, err = c.quota.admit(b.Site, b.Visitor, now); err != nil {
			if len(ss.seqs) == 0 {
				delete(c.seen, b.Session)
			}
			c.mu.Unlock()
			return false, err
		}
	}
	ss.bytes += cost
	a := &ack{done: make(chan struct{})}
	ss.seqs[b.Seq] = seqMark{ack: a, sum: sum}
	if create {
		s = &session{
			rec: openRecord{
				Site: b.Site, Session: b.Session, Visitor: b.Visitor, Part: ss.nextPart,
				UserAgent: rc.userAgent, Country: rc.country, Tracker: b.Tracker,
				Created: now.UnixMilli(),
			},
			addr:    rc.addr,
			ready:   make(chan struct{}),
			created: now,
		}
		s.path = c.logPath(b.Session, s.rec.Part)
		ss.nextPart++
		c.addOpen(s)
	}
	s.lastActivity = now
	s.inflight.Add(1)
	c.mu.Unlock()
	defer s.inflight.Done()

	if create {
		c.createLog(s, ss)
	}
	if quotaVersion != 0 {
		if err := c.quota.persist(quotaVersion); err != nil {
			// The session is counted in memory; losing the count on a
			// crash is better than losing the visit, so it is recorded.
			c.cfg.Logger.Error("quota counters not saved", "err", err)
		}
	}
	<-s.ready
	err = s.createErr
	if err == nil {
		rec := batchRecord{Seq: b.Seq, ReceivedAt: now.UnixMilli(), SentAt: b.SentAt, Tracker: b.Tracker, Events: b.Events}
		var n uint64
		if n, err = appendBatch(s.log, rec, b.canonical); err == nil {
			err = s.log.commit(n)
		}
	}

	c.mu.Lock()
	if err != nil && ss.seqs[b.Seq].ack == a {
		delete(ss.seqs, b.Seq) // not stored: a retry must be taken afresh
		ss.bytes -= cost
	}
	c.mu.Unlock()
	a.err = err
	close(a.done)
	if err != nil {
		c.stats.errors.Add(1)
		c.errLog.log(c.cfg.Logger, slog.LevelError, "batch not stored", "session", b.Session, "seq", b.Seq, "err", err)
		if diskFull(err) {
			err = fmt.Errorf("%w: %w", ErrDiskFull, err)
		}
		return false, err
	}
	c.stats.batches.Add(1)
	c.stats.events.Add(int64(len(b.Events)))
	assetEvents := b.Events
	if b.canonical {
		assetEvents = b.assetEvents
	}
	if len(assetEvents) > 0 {
		c.assets.observe(b.Site, b.Session, assetEvents)
	}
	return false, nil
}

// frameBuffers recycles the buffers batch frames are assembled in; a
// buffer grown past maxPooledFrame by a large batch is left to the
// garbage collector rather than kept.
var frameBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledFrame = 256 << 10

// appendBatch writes rec as one frame of lg. A batch DecodeBatch made
// canonical is assembled from its bytes as they are; any other (built in
// code) goes through encoding/json.
func appendBatch(lg *logFile, rec batchRecord, canonical bool) (uint64, error) {
	if !canonical {
		return lg.append(kindBatch, rec)
	}
	buf := frameBuffers.Get().(*[]byte)
	frame := appendBatchFrame((*buf)[:0], rec)
	n, err := lg.writeFrame(frame)
	if cap(frame) <= maxPooledFrame {
		*buf = frame
		frameBuffers.Put(buf)
	}
	return n, err
}

// createLog creates s's log file outside the collector lock, then releases
// everyone waiting on s.ready. On failure the part is withdrawn so the next
// batch tries again.
func (c *Collector) createLog(s *session, ss *seenSession) {
	lg, err := createLog(s.path, s.rec, c.handles, c.flusher)
	c.mu.Lock()
	s.log, s.createErr = lg, err
	if err != nil {
		if c.open[s.rec.Session] == s {
			c.removeOpen(s)
			if ss.nextPart == s.rec.Part+1 {
				ss.nextPart--
			}
		}
	}
	c.mu.Unlock()
	close(s.ready)
}

// awaitDuplicate acknowledges a repeated seq once the original is durable;
// if the original failed, the repeat fails too so the tracker retries.
func (c *Collector) awaitDuplicate(ctx context.Context, prior *ack) (bool, error) {
	select {
	case <-prior.done:
	case <-ctx.Done():
		return false, fmt.Errorf("wait for original batch: %w", ctx.Err())
	}
	if prior.err != nil {
		return false, fmt.Errorf("original batch failed: %w", prior.err)
	}
	c.stats.duplicates.Add(1)
	return true, nil
}
