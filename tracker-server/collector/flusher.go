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
// runs its own round; when a round ends with callers gathered for the
// next one, one of them is handed the next round to run, so no caller
// waits for more than the round running and its own.
type logFlusher struct {
	fs *os.File // open on the data folder: names the file system to flush

	mu      sync.Mutex
	running bool
	next    *flushRound // gathering waiters; nil when none wait
	rounds  int         // flushes run, for tests

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
	lead    chan struct{} // one of the waiters receives: run this round
	err     error
	waiters int
	first   *os.File  // the only file to flush when waiters is 1
	started time.Time // when the flush began; read by waiters after done
}

// flush returns once everything written to f before the call is durable.
func (fl *logFlusher) flush(f *os.File) error {
	if fl == nil {
		return syncData(f)
	}
	joined := time.Now()
	fl.mu.Lock()
	r := fl.next
	if r == nil {
		r = &flushRound{done: make(chan struct{}), lead: make(chan struct{}, 1), first: f}
		fl.next = r
	}
	r.waiters++
	if !fl.running {
		fl.running = true
		fl.mu.Unlock()
		fl.run(r)
		fl.stats.waitNs.Add(int64(r.started.Sub(joined)))
		return r.err
	}
	fl.mu.Unlock()
	select {
	case <-r.done:
	case <-r.lead:
		fl.run(r)
	}
	fl.stats.waitNs.Add(int64(r.started.Sub(joined)))
	return r.err
}

// run closes the gathering round r to newcomers, flushes, releases r's
// waiters and hands the next round on. The caller holds the lead.
func (fl *logFlusher) run(r *flushRound) {
	fl.mu.Lock()
	fl.next = nil // r: newcomers gather for the round after it
	fl.rounds++
	fl.mu.Unlock()
	r.started = time.Now()
	if r.waiters == 1 {
		r.err = syncData(r.first)
	} else {
		r.err = syncFS(fl.fs)
	}
	fl.stats.flushNs.Add(int64(time.Since(r.started)))
	fl.stats.rounds.Add(1)
	fl.stats.waiters.Add(int64(r.waiters))
	close(r.done)
	fl.mu.Lock()
	fl.handOff()
	fl.mu.Unlock()
}

// handOff gives the lead to one waiter of the gathering round, or ends
// the running state when none waits. The caller holds fl.mu.
func (fl *logFlusher) handOff() {
	if fl.next == nil {
		fl.running = false
		return
	}
	fl.next.lead <- struct{}{} // buffered: exactly one waiter takes it
}

// close releases the data folder's descriptor.
func (fl *logFlusher) close() {
	if fl != nil {
		fl.fs.Close()
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
