package collector

import (
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/atomicfile"
)

// syncDir fsyncs a directory so that a file created, renamed or removed in
// it survives a crash (the rename/create is in the directory's data). It is
// a variable so that tests can inject a failing fsync.
var syncDir = syncDirOS

// setSyncDirForTest replaces syncDir and returns a function restoring it.
func setSyncDirForTest(fn func(string) error) (restore func()) {
	old := syncDir
	syncDir = fn
	return func() { syncDir = old }
}

// syncDirOS fsyncs dir with the operating system.
func syncDirOS(dir string) error { return atomicfile.SyncDir(dir) }

func dirOf(path string) string { return filepath.Dir(path) }

// writeFileDurable writes data to path via temp file, fsync, rename and
// directory fsync (core/atomicfile), so readers and crashes see the old
// content or the new.
func writeFileDurable(path string, data []byte, perm os.FileMode) error {
	return atomicfile.WriteFile(path, data, perm)
}
