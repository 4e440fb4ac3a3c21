package collector

import (
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// logFlusher makes session log appends durable, sharing the work between
// sessions where the system allows: concurrent batches of different
// sessions wait for one round, and a round flushes the file system of the
// data folder once (syncfs(2) on Linux) instead of each log on its own.
// Most of the kernel's CPU cost of a flush is per call, not per file
// covered (docs/collector-ingest.md), so on a busy collector this removes
// most of that cost;
// a round with a single waiter flushes only that log (fdatasync), so a
// quiet collector never flushes more than its own file. A nil
// *logFlusher flushes each log on its own.
//
// A caller joins the round that starts next (one already running may
// have begun before its write). The first caller finding no round running
// runs its own round in its own goroutine. When a round ends with callers
// gathered for the next one, the flusher's own goroutine (loop) runs the
// next round, and keeps running rounds back to back while callers keep
// gathering: no caller leads a round for others, and a round starts the
// moment the one before it ends. Handing the next round to one of its
// waiters instead cost a goroutine wake-up between rounds, which on a busy
// machine took a fifth of a round (docs/collector-ingest.md).
type logFlusher struct {
	fs *os.File // open on the data folder: names the file system to flush
	// sync flushes a round: the file system of fs, or only lone when the
	// round has a single waiter. A field so that tests can make it fail.
	sync func(fs, lone *os.File) error

	mu      sync.Mutex
	running bool        // a round is running, or the loop is about to run one
	next    *flushRound // gathering waiters; nil when none wait
	closed  bool
	wake    chan struct{} // the loop has a gathered round to run
	quit    chan struct{} // closed by close: the loop ends

	// failures counts failed rounds. A write-back error is reported by
	// one flush only, and a round that fails may have met the error of a
	// frame it did not carry (written before it, flushed in a later
	// round), so logFile.commit fails every frame written before any
	// failed round, whichever round carried it.
	failures atomic.Uint64

	stats flushStats
}

// flushStats are cumulative figures of the shared flushes, for Status:
// they tell how many batches a round carries, how long a round takes and
// how long a batch waits for its round to start.
type flushStats struct {
	rounds  atomic.Int64 // rounds run
	waiters atomic.Int64 // flush calls released by them
	flushNs atomic.Int64 // time spent in the flush calls themselves
	waitNs  atomic.Int64 // time from each call until its round started
}

// FlushStats are the cumulative figures of a collector's shared flush
// rounds (zero when each log flushes on its own).
type FlushStats struct {
	Rounds   int64         `json:"rounds"`
	Batches  int64         `json:"batches"`  // flushes requested and released by the rounds
	Flushing time.Duration `json:"flushing"` // time inside syncfs/fdatasync, summed over rounds
	Waiting  time.Duration `json:"waiting"`  // time from a request until its round started, summed over requests
}

// flushRound is one flush and the callers it releases.
type flushRound struct {
	done    chan struct{} // closed once the flush has returned
	err     error
	waiters int
	first   *os.File  // the only file to flush when waiters is 1
	started time.Time // when the flush began; read by waiters after done
}

// newFlusherOn returns a flusher of the file system holding the open
// folder fs, with its loop running.
func newFlusherOn(fs *os.File) *logFlusher {
	fl := &logFlusher{fs: fs, sync: syncRound, wake: make(chan struct{}, 1), quit: make(chan struct{})}
	go fl.loop()
	return fl
}

// syncRound flushes the file system of fs, or only lone if it is set.
func syncRound(fs, lone *os.File) error {
	if lone != nil {
		return syncData(lone)
	}
	return syncFS(fs)
}

// failureCount is the number of failed rounds so far; a nil flusher
// has none.
func (fl *logFlusher) failureCount() uint64 {
	if fl == nil {
		return 0
	}
	return fl.failures.Load()
}

// flush returns once everything written to f before the call is durable.
func (fl *logFlusher) flush(f *os.File) error {
	if fl == nil {
		return syncData(f)
	}
	joined := time.Now()
	fl.mu.Lock()
	if fl.closed {
		fl.mu.Unlock()
		return syncData(f)
	}
	r := fl.next
	if r == nil {
		r = &flushRound{done: make(chan struct{}), first: f}
		fl.next = r
	}
	r.waiters++
	if !fl.running {
		// Nothing runs: this caller runs the round itself, at once.
		fl.running = true
		fl.next = nil // newcomers gather for the round after it
		fl.mu.Unlock()
		fl.run(r)
		fl.mu.Lock()
		runThem := fl.handOff()
		fl.mu.Unlock()
		if runThem {
			fl.runGathered()
		}
	} else {
		fl.mu.Unlock()
		<-r.done
	}
	fl.stats.waitNs.Add(int64(r.started.Sub(joined)))
	return r.err
}

// run flushes and releases r's waiters. r is already closed to newcomers.
func (fl *logFlusher) run(r *flushRound) {
	var lone *os.File
	if r.waiters == 1 {
		lone = r.first
	}
	r.started = time.Now()
	r.err = fl.sync(fl.fs, lone)
	fl.stats.flushNs.Add(int64(time.Since(r.started)))
	fl.stats.rounds.Add(1)
	fl.stats.waiters.Add(int64(r.waiters))
	if r.err != nil {
		fl.failures.Add(1) // before any waiter can write again
	}
	close(r.done)
}

// handOff ends the running state when no round has gathered, or else
// gives the gathered round to the loop; it reports whether the caller
// must run the gathered rounds itself instead, because the flusher is
// closed and its loop gone. The caller holds fl.mu and has just ended a
// round.
func (fl *logFlusher) handOff() (runThem bool) {
	if fl.next == nil {
		fl.running = false
		return false
	}
	if fl.closed {
		return true
	}
	fl.wake <- struct{}{} // buffered, and sent only by the one running: never blocks
	return false
}

// loop runs the rounds handed to it until close.
func (fl *logFlusher) loop() {
	for {
		select {
		case <-fl.wake:
			fl.runGathered()
		case <-fl.quit:
			// A round handed on before close still runs.
			select {
			case <-fl.wake:
				fl.runGathered()
			default:
			}
			return
		}
	}
}

// runGathered runs the gathered rounds back to back while callers keep
// gathering, then ends the running state.
func (fl *logFlusher) runGathered() {
	for {
		fl.mu.Lock()
		r := fl.next
		if r == nil {
			fl.running = false
			fl.mu.Unlock()
			return
		}
		fl.next = nil
		fl.mu.Unlock()
		fl.run(r)
	}
}

// snapshot returns the cumulative figures; zero for a nil flusher.
func (fl *logFlusher) snapshot() FlushStats {
	if fl == nil {
		return FlushStats{}
	}
	return FlushStats{
		Rounds:   fl.stats.rounds.Load(),
		Batches:  fl.stats.waiters.Load(),
		Flushing: time.Duration(fl.stats.flushNs.Load()),
		Waiting:  time.Duration(fl.stats.waitNs.Load()),
	}
}

// close ends the loop and releases the data folder's descriptor; later
// flushes flush their own log.
func (fl *logFlusher) close() {
	if fl == nil {
		return
	}
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.closed {
		return
	}
	fl.closed = true
	close(fl.quit)
	fl.fs.Close()
}
