package collector

import (
	"container/list"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// logFile is an append-only, fsynced session log with group commit: every
// appender writes its frame under mu, then asks for durability up to its
// own frame. One fsync covers every frame written before it started, so
// batches of one session arriving together share a single fsync. Its file
// may be closed while idle (handlePool) and is reopened on demand.
type logFile struct {
	path    string
	pool    *handlePool
	flusher *logFlusher // shares flushes with other logs; nil: each its own

	mu      sync.Mutex // guards f, elem, written, size, closed, pending, pendingMark
	f       *os.File   // nil while idle-closed
	elem    *list.Element
	written uint64 // frames written
	size    int64
	closed  bool // for good: sealed or shut down
	// pendingMark is failureCount as it was before the oldest frame not
	// yet covered by a flush was written (pending: there is such a frame).
	pending     bool
	pendingMark uint64

	syncMu sync.Mutex // one fsync at a time; guards synced, lostThrough
	synced uint64     // frames known durable
	// lostThrough: frames up to it may not be on disk (a flush failed
	// after they were written), so they are never reported durable.
	lostThrough uint64
	// localFailures counts this log's own failed flushes (see failureCount).
	localFailures atomic.Uint64
}

// errFlushFailedMeanwhile means a flush that failed after a frame was
// written may have been the one to meet (and report) the frame's own
// write-back error: the kernel reports such an error to one flush only,
// so a later flush that succeeds proves nothing about the frame.
var errFlushFailedMeanwhile = errors.New("a flush failed after this frame was written; it may not be on disk")

// failureCount counts the failed flushes that could have met a write-back
// error of this log: the shared rounds' failures and the log's own.
func (l *logFile) failureCount() uint64 {
	return l.flusher.failureCount() + l.localFailures.Load()
}

// errLogClosed means the log was closed for good (its part is sealing).
var errLogClosed = errors.New("session log closed")

// createLog creates a new log at path holding the open record, durably:
// the file and its directory are fsynced before it is used. On any
// failure the file is removed, so a retry can create it again.
func createLog(path string, open openRecord, pool *handlePool, flusher *logFlusher) (*logFile, error) {
	payload, err := encodeRecord(kindOpen, open)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create session log: %w", err)
	}
	fail := func(err error) (*logFile, error) {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	frame := appendFrame(nil, payload)
	if _, err := f.Write(frame); err != nil {
		return fail(fmt.Errorf("write session log: %w", err))
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("sync session log: %w", err))
	}
	if err := syncDir(dirOf(path)); err != nil {
		return fail(err)
	}
	l := &logFile{path: path, pool: pool, flusher: flusher, f: f, written: 1, synced: 1, size: int64(len(frame))}
	if pool != nil {
		l.mu.Lock()
		pool.opened(l)
		l.mu.Unlock()
	}
	return l, nil
}

// reopenLog returns an existing, already recovered log; its file opens on
// the first append.
func reopenLog(path string, size int64, frames uint64, pool *handlePool, flusher *logFlusher) *logFile {
	return &logFile{path: path, pool: pool, flusher: flusher, written: frames, synced: frames, size: size}
}

// file returns the open file, opening it if it was idle-closed. The
// caller holds l.mu.
func (l *logFile) file() (*os.File, error) {
	if l.closed {
		return nil, fmt.Errorf("append to %s: %w", l.path, errLogClosed)
	}
	if l.f != nil {
		if l.pool != nil {
			l.pool.used(l)
		}
		return l.f, nil
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("reopen session log: %w", err)
	}
	l.f = f
	if l.pool != nil {
		l.pool.opened(l)
	}
	return f, nil
}

// append writes one record and returns its frame number for commit. A
// failed write is cut back off so the file never holds half a frame that
// later frames would follow.
func (l *logFile) append(kind byte, v any) (uint64, error) {
	payload, err := encodeRecord(kind, v)
	if err != nil {
		return 0, err
	}
	return l.writeFrame(appendFrame(nil, payload))
}

// writeFrame writes one ready frame (appendFrame, appendBatchFrame) and
// returns its frame number for commit; see append.
func (l *logFile) writeFrame(frame []byte) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := l.file()
	if err != nil {
		return 0, err
	}
	if !l.pending {
		l.pending, l.pendingMark = true, l.failureCount()
	}
	if _, err := f.Write(frame); err != nil {
		if terr := f.Truncate(l.size); terr != nil {
			return 0, fmt.Errorf("write session log: %w (and cutting the partial frame failed: %v)", err, terr)
		}
		return 0, fmt.Errorf("write session log: %w", err)
	}
	l.size += int64(len(frame))
	l.written++
	return l.written, nil
}

// commit returns once frame n is durable, fsyncing if no other call has
// already covered it. It fails a frame written before any flush that
// failed since (errFlushFailedMeanwhile): that flush may have met the
// frame's write-back error, which the kernel reports only once.
func (l *logFile) commit(n uint64) error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if n <= l.lostThrough {
		// Even if a later flush covered it: that flush could not see
		// the error an earlier one met.
		return fmt.Errorf("sync session log: %w", errFlushFailedMeanwhile)
	}
	if l.synced >= n {
		return nil
	}
	l.mu.Lock()
	target := l.written
	pending, mark := l.pending, l.pendingMark
	l.pending = false // frames from here on are the next flush's
	f, err := l.file()
	if err != nil && pending {
		// Not flushed: the oldest mark stays (later frames' are newer).
		l.pending, l.pendingMark = true, mark
	}
	l.mu.Unlock()
	if err != nil {
		return err
	}
	if err := l.flusher.flush(f); err != nil {
		if l.flusher == nil {
			l.localFailures.Add(1)
		}
		l.lostThrough = target
		return fmt.Errorf("sync session log: %w", err)
	}
	if pending && l.failureCount() != mark {
		l.lostThrough = target
		return fmt.Errorf("sync session log: %w", errFlushFailedMeanwhile)
	}
	l.synced = target
	return nil
}

// closeIdle closes the file of a log nobody is using right now, after
// making what it wrote durable. A busy log (its locks taken) is left
// open: it is in use, so not the one to close.
func (l *logFile) closeIdle() {
	if !l.syncMu.TryLock() {
		return
	}
	defer l.syncMu.Unlock()
	if !l.mu.TryLock() {
		return
	}
	defer l.mu.Unlock()
	if l.f == nil {
		return
	}
	if l.synced < l.written {
		if l.f.Sync() != nil {
			// Kept open: the commits of its frames report the error.
			l.localFailures.Add(1)
			l.lostThrough = l.written
			return
		}
		if l.pending && l.failureCount() != l.pendingMark {
			l.lostThrough = l.written
			return
		}
		l.synced = l.written
		l.pending = false
	}
	l.f.Close()
	l.f = nil
	if l.pool != nil {
		l.pool.forget(l)
	}
}

// close closes the file for good; later appends fail.
func (l *logFile) close() error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if l.pool != nil {
		l.pool.forget(l)
	}
	if err != nil {
		return fmt.Errorf("close session log: %w", err)
	}
	return nil
}
