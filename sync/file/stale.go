package file

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StaleTempAge is how old a temporary file must be before RemoveStaleTemp
// takes it for the leftover of an interrupted write: a live Put writes
// its temporary file continuously and renames it within seconds.
const StaleTempAge = 10 * time.Minute

// RemoveStaleTemp deletes the hidden temporary files (".NAME.tmp-*") that
// writes interrupted by a crash left in the store, if older than
// olderThan, and reports how many it removed. A collector calls it at
// start; the files are invisible to List but take disk space.
func (s *Store) RemoveStaleTemp(olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	removed := 0
	err := filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		name := d.Name()
		if d.IsDir() || !strings.HasPrefix(name, ".") || !strings.Contains(name, ".tmp-") {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.ModTime().After(cutoff) {
			return nil
		}
		if err := os.Remove(p); err == nil {
			removed++
		}
		return nil
	})
	return removed, err
}
