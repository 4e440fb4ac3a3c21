package synclock

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A second holder is refused with a message naming the first, and may
// take the lock once it is released.
func TestTryAcquireExcludes(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "w.db")
	first, err := TryAcquire(ws, "workbench")
	if err != nil {
		t.Fatal(err)
	}
	_, err = TryAcquire(ws, "tray")
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second acquire: %v, want ErrBusy", err)
	}
	if got := err.Error(); got != "sync already running in the workbench" {
		t.Errorf("message %q", got)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	second, err := TryAcquire(ws, "tray")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	second.Release()
}

// The lock holds across processes: a child process holding it keeps this
// one out until it exits.
func TestTryAcquireAcrossProcesses(t *testing.T) {
	if os.Getenv("SYNCLOCK_CHILD") != "" {
		l, err := TryAcquire(os.Getenv("SYNCLOCK_CHILD"), "tray")
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("held\n")
		var b [1]byte
		os.Stdin.Read(b[:]) // hold until the parent closes stdin
		l.Release()
		os.Exit(0)
	}
	ws := filepath.Join(t.TempDir(), "w.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestTryAcquireAcrossProcesses$")
	cmd.Env = append(os.Environ(), "SYNCLOCK_CHILD="+ws)
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || !strings.HasPrefix(string(buf), "held") {
		t.Fatalf("child did not take the lock: %q %v", buf, err)
	}
	_, err := TryAcquire(ws, "workbench")
	if err == nil || err.Error() != "sync already running in the tray" {
		t.Fatalf("while the child holds it: %v", err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	l, err := TryAcquire(ws, "workbench")
	if err != nil {
		t.Fatalf("after the child exited: %v", err)
	}
	l.Release()
}
