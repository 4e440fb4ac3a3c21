package collector

import (
	"os"
	"sync"
)

// logFlusher makes session log appends durable, sharing the work between
// sessions where the system allows: concurrent batches of different
// sessions wait for one round, and a round flushes the file system of the
// data folder once (syncfs(2) on Linux) instead of each log on its own.
// Flushing costs the kernel about the same CPU per call however many
// files it covers, so on a busy collector this removes most of that cost;
// a round with a single waiter flushes only that log (fdatasync), so a
// quiet collector never flushes more than its own file. A nil
// *logFlusher flushes each log on its own.
//
// A caller joins the round that starts next (one already running may
// have begun before its write); the first caller finding no round
// running runs rounds until no one waits.
type logFlusher struct {
	fs *os.File // open on the data folder: names the file system to flush

	mu      sync.Mutex
	running bool
	next    *flushRound // gathering waiters; nil when none wait
	rounds  int         // flushes run, for tests
}

// flushRound is one flush and the callers it releases.
type flushRound struct {
	done    chan struct{}
	err     error
	waiters int
	first   *os.File // the only file to flush when waiters is 1
}

// flush returns once everything written to f before the call is durable.
func (fl *logFlusher) flush(f *os.File) error {
	if fl == nil {
		return syncData(f)
	}
	fl.mu.Lock()
	r := fl.next
	if r == nil {
		r = &flushRound{done: make(chan struct{}), first: f}
		fl.next = r
	}
	r.waiters++
	if fl.running {
		fl.mu.Unlock()
		<-r.done
		return r.err
	}
	fl.running = true
	for fl.next != nil {
		cur := fl.next
		fl.next = nil
		fl.rounds++
		fl.mu.Unlock()
		if cur.waiters == 1 {
			cur.err = syncData(cur.first)
		} else {
			cur.err = syncFS(fl.fs)
		}
		close(cur.done)
		fl.mu.Lock()
	}
	fl.running = false
	fl.mu.Unlock()
	return r.err
}

// close releases the data folder's descriptor.
func (fl *logFlusher) close() {
	if fl != nil {
		fl.fs.Close()
	}
}
