package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/archive"
)

var _ archive.Deleter = (*Store)(nil)

// Delete removes the archive at key and its digest sidecar, then syncs
// the folder so the removal survives a crash.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := archive.ValidateKey(key); err != nil {
		return fmt.Errorf("delete %q: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	s.commit.Lock()
	defer s.commit.Unlock()
	p := s.path(key)
	for _, f := range []string{p, p + sidecarSuffix} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("delete %s: %w", key, err)
		}
	}
	if err := syncDir(filepath.Dir(p)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
