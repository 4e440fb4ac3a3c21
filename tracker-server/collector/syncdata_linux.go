package collector

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// syncData makes what was appended to f durable with fdatasync: the data
// and the metadata needed to read it back (the file's size), without the
// journal commit a timestamp-only change costs fsync. The log was created
// with a full fsync and a directory fsync (createLog), so nothing else
// about the file can be lost.
func syncData(f *os.File) error {
	return control(f, "fdatasync", unix.Fdatasync)
}

// syncFS flushes the whole file system holding f with syncfs(2), which
// (Linux 5.8 on) reports a write-back error of any file on it since f was
// opened, so a failed write of a log in the round fails the round.
func syncFS(f *os.File) error {
	return control(f, "syncfs", unix.Syncfs)
}

// newLogFlusher opens dir for the flushes of logFlusher.
func newLogFlusher(dir string) (*logFlusher, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	return newFlusherOn(f), nil
}

// control runs call on f's descriptor, retrying on EINTR.
func control(f *os.File, op string, call func(fd int) error) error {
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		for {
			if serr = call(int(fd)); !errors.Is(serr, unix.EINTR) {
				return
			}
		}
	}); err != nil {
		return err
	}
	if serr != nil {
		return &os.PathError{Op: op, Path: f.Name(), Err: serr}
	}
	return nil
}
