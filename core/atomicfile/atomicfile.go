// Package atomicfile writes files that survive a crash whole or not at all:
// the bytes go to a temporary file beside the final path, are fsynced, the
// temporary file is renamed over the final path and the folder is fsynced,
// so the new name is on disk too. Readers see the old content or the new,
// never half of it.
//
// google/renameio does the same up to the rename but leaves the folder
// unsynced (its directory-fsync option is still an open proposal), so a
// crash right after a rename can lose the new name; this package is small
// enough to own.
package atomicfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// DefaultPerm is the mode a file gets when the caller passes 0: readable
// by everyone, like a file written by most tools (os.CreateTemp's 0600
// would otherwise leak into reports and exports).
const DefaultPerm fs.FileMode = 0o644

// File is a file being written beside its final path. Write to it, then
// Commit; Discard (safe to defer) removes it if Commit never ran.
type File struct {
	tmp  *os.File
	path string
	done bool
}

// Create starts a new file for path with the permissions perm (0 means
// DefaultPerm). The temporary file is hidden (a dot name) in the same
// folder, so the rename stays on one file system.
func Create(path string, perm fs.FileMode) (*File, error) {
	if perm == 0 {
		perm = DefaultPerm
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	// Chmod on the open file: the mode is exact, not filtered by umask.
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{tmp: tmp, path: path}, nil
}

// Write appends p to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.tmp.Write(p) }

// Sync flushes what was written so far to disk. Commit syncs anyway;
// calling Sync first moves the slow part out of a caller's lock.
func (f *File) Sync() error {
	if err := f.tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Path is the final path the file is renamed to on Commit.
func (f *File) Path() string { return f.path }

// Commit fsyncs the file, renames it over its final path and fsyncs the
// folder. After an error the temporary file is gone and the final path
// holds what it held before.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("write %s: %w", f.path, os.ErrClosed)
	}
	f.done = true
	name := f.tmp.Name()
	err := f.tmp.Sync()
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, f.path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	if err := SyncDir(filepath.Dir(f.path)); err != nil {
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Discard closes and removes the temporary file unless Commit ran; it is
// meant to be deferred right after Create.
func (f *File) Discard() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// Write writes path atomically with what write puts into the writer it is
// given; perm as in Create. When write fails nothing changes on disk.
func Write(path string, perm fs.FileMode, write func(io.Writer) error) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Discard()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// WriteFile writes data to path atomically; perm as in Create.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncFile is the fsync used on folders; tests replace it to see which
// folders were synced.
var syncFile = (*os.File).Sync

// SyncDir fsyncs the folder dir, so that files created, renamed or removed
// in it keep their names after a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	err = syncFile(d)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
