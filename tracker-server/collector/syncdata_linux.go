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
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		for {
			serr = unix.Fdatasync(int(fd))
			if !errors.Is(serr, unix.EINTR) {
				return
			}
		}
	}); err != nil {
		return err
	}
	if serr != nil {
		return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: serr}
	}
	return nil
}
