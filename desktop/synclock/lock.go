// Package synclock keeps two processes from syncing one workspace at the
// same time. SQLite already serialises single writes (WAL, busy_timeout,
// immediate transactions); this lock covers a whole sync, so the tray and
// the workbench never pull the same archives twice in parallel.
package synclock

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gofrs/flock"
)

// ErrBusy is matched (errors.Is) by the error TryAcquire returns when
// another process holds the lock.
var ErrBusy = errors.New("a sync is already running")

// BusyError says who holds the lock, as far as it can tell.
type BusyError struct {
	// Holder is the name the holder gave ("workbench", "tray", ...), or ""
	// when it could not be read.
	Holder string
}

func (e *BusyError) Error() string {
	if e.Holder == "" {
		return "sync already running in another Loupe program"
	}
	return "sync already running in the " + e.Holder
}

// Is makes errors.Is(err, ErrBusy) hold.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Lock is a held sync lock.
type Lock struct {
	f     *flock.Flock
	owner string
}

// Path is the lock file of the workspace at workspacePath.
func Path(workspacePath string) string { return workspacePath + ".sync.lock" }

// TryAcquire takes the sync lock of the workspace at workspacePath without
// waiting. holder names this program in the message another process shows
// while it waits ("sync already running in the tray"). The lock is an
// advisory file lock (flock on Unix, LockFileEx on Windows): the operating
// system drops it when the process dies, so a crash leaves nothing stale.
func TryAcquire(workspacePath, holder string) (*Lock, error) {
	path := Path(workspacePath)
	f := flock.New(path)
	ok, err := f.TryLock()
	if err != nil {
		return nil, fmt.Errorf("take the sync lock %s: %w", path, err)
	}
	if !ok {
		return nil, &BusyError{Holder: readHolder(ownerPath(workspacePath))}
	}
	// The holder's name goes in a file beside the lock (Windows does not
	// let another process read a locked file); a reader that finds it
	// missing says "another program".
	_ = os.WriteFile(ownerPath(workspacePath), []byte(holder), 0o600)
	return &Lock{f: f, owner: ownerPath(workspacePath)}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = os.Remove(l.owner)
	if err := l.f.Unlock(); err != nil {
		return fmt.Errorf("release the sync lock: %w", err)
	}
	return nil
}

func ownerPath(workspacePath string) string { return workspacePath + ".sync.owner" }

func readHolder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
