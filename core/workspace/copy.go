package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/atomicfile"
)

// CopyTo writes a consistent copy of the workspace to out with SQLite's
// VACUUM INTO: one read transaction, so imports and edits running at the
// same time are either wholly in the copy or not at all, and the copy is
// compacted. The copy is written beside out and renamed into place, so out
// is never half written; an existing out is replaced.
func (db *DB) CopyTo(ctx context.Context, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("copy workspace: %w", err)
	}
	if abs == db.path {
		return fmt.Errorf("copy workspace: %s is the workspace itself", out)
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("copy workspace: %w", err)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".copying")
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("copy workspace: %w", err)
	}
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy workspace: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy workspace: %w", err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy workspace: %w", err)
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("copy workspace: %w", err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
