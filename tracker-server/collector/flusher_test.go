package collector

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// gatherWaiters starts n flushes, one file each, while a round is marked
// running, and returns once all n wait for the next round; their results
// arrive on the returned channel.
func gatherWaiters(t *testing.T, fl *logFlusher, dir string, n int) <-chan error {
	t.Helper()
	fl.mu.Lock()
	fl.running = true
	fl.mu.Unlock()
	results := make(chan error, n)
	for i := 0; i < n; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("w%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		if _, err := f.WriteString("frame"); err != nil {
			t.Fatal(err)
		}
		go func() { results <- fl.flush(f) }()
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		fl.mu.Lock()
		waiting := 0
		if fl.next != nil {
			waiting = fl.next.waiters
		}
		fl.mu.Unlock()
		if waiting == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d flushes waiting", waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
	fl.mu.Lock()
	fl.running = false // the running round ends; the next caller leads
	fl.mu.Unlock()
	return results
}

func newTestFlusher(t *testing.T, dir string) *logFlusher {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("shared flush rounds need syncfs (Linux)")
	}
	fl, err := newLogFlusher(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

// TestLogFlusherSharesRound: flushes of different files that wait
// together are released by one round, and the caller that finds no round
// running leads it.
func TestLogFlusherSharesRound(t *testing.T) {
	dir := t.TempDir()
	fl := newTestFlusher(t, dir)
	defer fl.close()
	results := gatherWaiters(t, fl, dir, 5)
	lead, err := os.Create(filepath.Join(dir, "lead.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer lead.Close()
	if err := fl.flush(lead); err != nil {
		t.Fatalf("leader: %v", err)
	}
	for i := 0; i < 5; i++ {
		if err := <-results; err != nil {
			t.Fatalf("waiter: %v", err)
		}
	}
	if fl.stats.rounds.Load() != 1 {
		t.Errorf("%d rounds for 6 flushes waiting together, want 1", fl.stats.rounds.Load())
	}
	// Alone, a flush is a round of its own, of its own file.
	if err := fl.flush(lead); err != nil || fl.stats.rounds.Load() != 2 {
		t.Errorf("lone flush: %v, %d rounds, want 2", err, fl.stats.rounds.Load())
	}
}

// TestLogFlusherFailureReachesEveryWaiter: a round that fails fails every
// flush in it, so none of their batches is acknowledged.
func TestLogFlusherFailureReachesEveryWaiter(t *testing.T) {
	dir := t.TempDir()
	fl := newTestFlusher(t, dir)
	results := gatherWaiters(t, fl, dir, 3)
	fl.fs.Close() // the shared flush now fails
	lead, err := os.Create(filepath.Join(dir, "lead.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer lead.Close()
	roundErr := fl.flush(lead)
	if roundErr == nil {
		t.Fatal("leader's flush succeeded on a closed folder")
	}
	for i := 0; i < 3; i++ {
		if err := <-results; !errors.Is(err, roundErr) {
			t.Errorf("waiter: %v, want the round's failure %v", err, roundErr)
		}
	}
	// A lone flush of a closed file fails on its own.
	lead.Close()
	if err := fl.flush(lead); err == nil {
		t.Error("lone flush of a closed file succeeded")
	}
}

// TestLogFlusherHandsOn: when a round ends with callers gathered for the
// next, the flusher's loop runs it, so the caller that led the earlier
// round is not kept leading for others and none of the waiters has to be
// woken to start it.
func TestLogFlusherHandsOn(t *testing.T) {
	dir := t.TempDir()
	fl := newTestFlusher(t, dir)
	defer fl.close()
	results := gatherWaiters(t, fl, dir, 4)
	fl.mu.Lock()
	fl.running = true // the round before theirs is still running ...
	fl.handOff()      // ... and now ends
	fl.mu.Unlock()
	for i := 0; i < 4; i++ {
		select {
		case err := <-results:
			if err != nil {
				t.Fatalf("waiter: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of 4 waiters still wait: no one ran their round", 4-i)
		}
	}
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.stats.rounds.Load() != 1 || fl.running || fl.next != nil {
		t.Errorf("after the handed-on round: %d rounds, running %v, gathering %v; want 1, false, none", fl.stats.rounds.Load(), fl.running, fl.next != nil)
	}
}

// TestFailedFlushFailsFramesWrittenBeforeIt: the kernel reports a
// write-back error to one flush only, so a round that fails may have met
// the error of another log's frame written before it; that frame's own
// later flush succeeds, yet it must not be reported durable.
func TestFailedFlushFailsFramesWrittenBeforeIt(t *testing.T) {
	dir := t.TempDir()
	fl := newTestFlusher(t, dir)
	defer fl.close()
	failNext := errors.New("write-back error")
	var fail error
	fl.sync = func(fs, lone *os.File) error {
		err := fail
		fail = nil
		if err != nil {
			return err
		}
		return syncRound(fs, lone)
	}
	open := func(name string) *logFile {
		lg, err := createLog(filepath.Join(dir, name), openRecord{Site: "s", Session: name}, nil, fl)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { lg.close() })
		return lg
	}
	a, b := open("a.log"), open("b.log")
	nb, err := b.writeFrame(appendFrame(nil, []byte("b1")))
	if err != nil {
		t.Fatal(err)
	}
	na, err := a.writeFrame(appendFrame(nil, []byte("a1")))
	if err != nil {
		t.Fatal(err)
	}
	fail = failNext
	if err := a.commit(na); !errors.Is(err, failNext) {
		t.Fatalf("commit in the failing round: %v, want %v", err, failNext)
	}
	if err := b.commit(nb); !errors.Is(err, errFlushFailedMeanwhile) {
		t.Fatalf("commit of a frame written before the failed round: %v, want %v", err, errFlushFailedMeanwhile)
	}
	// Frames written after the failure are judged by their own flush.
	for _, lg := range []*logFile{a, b} {
		n, err := lg.writeFrame(appendFrame(nil, []byte("again")))
		if err != nil {
			t.Fatal(err)
		}
		if err := lg.commit(n); err != nil {
			t.Errorf("commit after the failure: %v", err)
		}
	}
	// The frames the failure may have lost stay failed.
	if err := a.commit(na); err == nil {
		t.Error("a frame of the failed round was later reported durable")
	}
}

// TestFailedOwnFlushFailsEarlierFrames: with each log flushing on its
// own, a failed flush likewise fails every frame of the log written
// before it, including those of appenders still to commit.
func TestFailedOwnFlushFailsEarlierFrames(t *testing.T) {
	dir := t.TempDir()
	lg, err := createLog(filepath.Join(dir, "a.log"), openRecord{Site: "s", Session: "a"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lg.close()
	n1, _ := lg.writeFrame(appendFrame(nil, []byte("one")))
	n2, _ := lg.writeFrame(appendFrame(nil, []byte("two")))
	// A failed flush, as closeIdle meets it, is counted against the log.
	lg.localFailures.Add(1)
	if err := lg.commit(n1); !errors.Is(err, errFlushFailedMeanwhile) {
		t.Fatalf("commit of frame 1: %v, want %v", err, errFlushFailedMeanwhile)
	}
	if err := lg.commit(n2); !errors.Is(err, errFlushFailedMeanwhile) {
		t.Fatalf("commit of frame 2: %v, want %v", err, errFlushFailedMeanwhile)
	}
	n3, _ := lg.writeFrame(appendFrame(nil, []byte("three")))
	if err := lg.commit(n3); err != nil {
		t.Fatalf("commit of a frame written after the failure: %v", err)
	}
}
