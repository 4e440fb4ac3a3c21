package collector

import (
	"errors"
	"syscall"
)

// ErrDiskFull means the data directory's disk (or quota) has no room for a
// batch; the HTTP layer answers 507 with Retry-After, and the collector
// frees room by itself as sealed sessions upload and their logs go.
var ErrDiskFull = errors.New("collector disk is full")

// diskFull reports whether err comes from a full disk or exhausted quota.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, ErrDiskFull)
}
