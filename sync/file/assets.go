package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/archive"
)

var _ archive.AssetStore = (*Store)(nil)

// assetPath maps a validated digest to its file, DIR/assets/ab/<sha256>.
func (s *Store) assetPath(sum string) string {
	return filepath.Join(s.root, filepath.FromSlash(archive.AssetKey(sum)))
}

// HasAsset reports whether the asset with this digest is stored.
func (s *Store) HasAsset(ctx context.Context, sum string) (bool, error) {
	if err := archive.ValidateDigest(sum); err != nil {
		return false, fmt.Errorf("has asset: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("has asset %s: %w", sum, err)
	}
	fi, err := os.Lstat(s.assetPath(sum))
	switch {
	case err == nil:
		return fi.Mode().IsRegular(), nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("has asset %s: %w", sum, err)
	}
}

// OpenAsset streams the asset with this digest; a missing one gives an
// error matching fs.ErrNotExist.
func (s *Store) OpenAsset(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := archive.ValidateDigest(sum); err != nil {
		return nil, fmt.Errorf("open asset: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open asset %s: %w", sum, err)
	}
	p := s.assetPath(sum)
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, fmt.Errorf("open asset %s: %w", sum, notExist(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open asset %s: not a regular file: %w", sum, os.ErrNotExist)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open asset %s: %w", sum, notExist(err))
	}
	return &ctxFile{ctx: ctx, f: f}, nil
}

// PutAsset stores r under its digest the way Put stores an archive: a
// checked, fsynced temporary file renamed into place, then the folder
// fsynced. The name is the digest, so no sidecar is needed, and bytes
// already there are kept.
func (s *Store) PutAsset(ctx context.Context, sum string, r io.Reader, size int64) error {
	if err := archive.CheckAssetPut(ctx, sum); err != nil {
		return err
	}
	p := s.assetPath(sum)
	dir := filepath.Dir(p)
	if err := s.mkdirs(dir); err != nil {
		return fmt.Errorf("put asset %s: %w", sum, err)
	}
	tmp, err := writeTemp(p, archive.ContextReader(ctx, r), size, sum)
	if err != nil {
		return fmt.Errorf("put asset %s: %w", sum, err)
	}
	defer tmp.Discard() // a no-op once committed
	if ok, err := s.HasAsset(ctx, sum); err == nil && ok {
		return nil
	}
	if err := tmp.Commit(); err != nil {
		return fmt.Errorf("put asset %s: %w", sum, err)
	}
	return nil
}
