package collector

import (
	"fmt"
	"os"
	"path/filepath"
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
func syncDirOS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open dir for sync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}

func dirOf(path string) string { return filepath.Dir(path) }

// writeFileDurable writes data to path via temp file, fsync, rename and
// directory fsync, so readers and crashes see the old content or the new.
func writeFileDurable(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}
