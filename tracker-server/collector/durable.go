package collector

import (
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/atomicfile"
)

// syncDir fsyncs a directory so that a file created, renamed or removed in
// it survives a crash (the rename/create is in the directory's data).
func syncDir(dir string) error { return atomicfile.SyncDir(dir) }

func dirOf(path string) string { return filepath.Dir(path) }

// writeFileDurable writes data to path via temp file, fsync, rename and
// directory fsync (core/atomicfile), so readers and crashes see the old
// content or the new.
func writeFileDurable(path string, data []byte, perm os.FileMode) error {
	return atomicfile.WriteFile(path, data, perm)
}
