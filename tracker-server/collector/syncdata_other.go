//go:build !linux

package collector

import "os"

// syncData makes what was appended to f durable; elsewhere than Linux it
// is a full fsync.
func syncData(f *os.File) error { return f.Sync() }
