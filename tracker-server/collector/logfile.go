package collector

import (
	"fmt"
	"os"
	"sync"
)

// logFile is an append-only, fsynced session log with group commit: every
// appender writes its frame under mu, then asks for durability up to its
// own frame. One fsync covers every frame written before it started, so
// batches of one session arriving together share a single fsync.
type logFile struct {
	path string

	mu      sync.Mutex // guards f writes, written, size
	f       *os.File
	written uint64 // frames written
	size    int64

	syncMu sync.Mutex // one fsync at a time; guards synced
	synced uint64     // frames known durable
}

// createLog creates a new log at path holding the open record, durably:
// the file and its directory are fsynced before it is used.
func createLog(path string, open openRecord) (*logFile, error) {
	payload, err := encodeRecord(kindOpen, open)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create session log: %w", err)
	}
	frame := appendFrame(nil, payload)
	if _, err := f.Write(frame); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write session log: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("sync session log: %w", err)
	}
	if err := syncDir(dirOf(path)); err != nil {
		// Removed, or the retry of this batch would find the name taken
		// until a restart.
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &logFile{path: path, f: f, written: 1, synced: 1, size: int64(len(frame))}, nil
}

// reopenLog opens an existing, already recovered log for appending.
func reopenLog(path string, size int64, frames uint64) (*logFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("reopen session log: %w", err)
	}
	return &logFile{path: path, f: f, written: frames, synced: frames, size: size}, nil
}

// append writes one record and returns its frame number for commit. A
// failed write is cut back off so the file never holds half a frame that
// later frames would follow.
func (l *logFile) append(kind byte, v any) (uint64, error) {
	payload, err := encodeRecord(kind, v)
	if err != nil {
		return 0, err
	}
	frame := appendFrame(nil, payload)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, fmt.Errorf("append to %s: log closed", l.path)
	}
	if _, err := l.f.Write(frame); err != nil {
		if terr := l.f.Truncate(l.size); terr != nil {
			return 0, fmt.Errorf("write session log: %w (and cutting the partial frame failed: %v)", err, terr)
		}
		return 0, fmt.Errorf("write session log: %w", err)
	}
	l.size += int64(len(frame))
	l.written++
	return l.written, nil
}

// commit returns once frame n is durable, fsyncing if no other call has
// already covered it.
func (l *logFile) commit(n uint64) error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if l.synced >= n {
		return nil
	}
	l.mu.Lock()
	target, f := l.written, l.f
	l.mu.Unlock()
	if f == nil {
		return fmt.Errorf("sync %s: log closed", l.path)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync session log: %w", err)
	}
	l.synced = target
	return nil
}

// close closes the file; later appends fail.
func (l *logFile) close() error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("close session log: %w", err)
	}
	return nil
}
