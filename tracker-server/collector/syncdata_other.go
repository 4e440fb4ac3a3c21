//go:build !linux

package collector

import "os"

// syncData makes what was appended to f durable; elsewhere than Linux it
// is a full fsync.
func syncData(f *os.File) error { return f.Sync() }

// syncFS is never called elsewhere than Linux: newLogFlusher returns nil,
// and a nil flusher flushes each log on its own.
func syncFS(f *os.File) error { return f.Sync() }

// newLogFlusher returns nil: without syncfs each log flushes on its own.
func newLogFlusher(dir string) (*logFlusher, error) { return nil, nil }
