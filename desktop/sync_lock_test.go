package desktop

import (
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/desktop/synclock"
)

// The tray companion and the workbench sync the same workspace one at a
// time: while the tray holds the sync lock, the workbench's Start answers
// a conflict naming the tray, and it starts once the lock is free.
func TestSyncWaitsForTheTray(t *testing.T) {
	db := newWorkspace(t)
	s := NewSync(db, nil)
	tray, err := synclock.TryAcquire(db.Path(), "tray")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Start(t.TempDir(), "")
	if codeOfErr(err) != CodeConflict || !strings.Contains(err.Error(), "sync already running in the tray") {
		t.Fatalf("Start while the tray syncs = %v, want a conflict naming the tray", err)
	}
	if st, _ := s.Status(); st.Running {
		t.Fatalf("a refused sync shows as running: %+v", st)
	}
	if err := tray.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(t.TempDir(), ""); err != nil {
		t.Fatalf("Start once the tray is done: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, _ := s.Status()
		if !st.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sync did not finish")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The finished sync gave the lock back: the tray can take it again.
	again, err := synclock.TryAcquire(db.Path(), "tray")
	if err != nil {
		t.Fatalf("the workbench kept the sync lock after its sync: %v", err)
	}
	again.Release()
}
