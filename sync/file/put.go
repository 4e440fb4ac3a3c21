package file

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/loupe-dev/loupe/core/archive"
)

// Put stores r under key so that a crash at any point leaves either no
// archive or the whole one: the bytes go to a hidden temporary file, are
// checked against size and sha256 and fsynced, the digest file is written
// the same way, both are renamed into place (digest first, so a visible
// archive always has its digest) and the folder is fsynced.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	if err := archive.CheckPut(ctx, key, sum); err != nil {
		return err
	}
	p := s.path(key)
	dir, base := filepath.Dir(p), filepath.Base(p)
	if err := s.mkdirs(dir); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	// The same bytes again are a no-op: no need to write them twice.
	if have, err := s.digestOf(p); err == nil {
		return sameOrConflict(key, have, sum)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("put %s: %w", key, err)
	}

	tmp, err := writeTemp(dir, "."+base+".tmp-*", archive.ContextReader(ctx, r), size, sum)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer os.Remove(tmp) // a no-op once renamed
	side, err := writeTemp(dir, "."+base+sidecarSuffix+".tmp-*", strings.NewReader(sum+"  "+base+"\n"), -1, "")
	if err != nil {
		return fmt.Errorf("put %s: digest file: %w", key, err)
	}
	defer os.Remove(side)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}

	s.commit.Lock()
	defer s.commit.Unlock()
	if have, err := s.digestOf(p); err == nil {
		return sameOrConflict(key, have, sum)
	}
	if err := os.Rename(side, p+sidecarSuffix); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

func sameOrConflict(key, have, want string) error {
	if have == want {
		return nil
	}
	return fmt.Errorf("put %s: stored sha256 %.12s…, new %.12s…: %w", key, have, want, archive.ErrConflict)
}

// writeTemp copies r into a new fsynced temporary file in dir and returns
// its path. When sum is set, the bytes must match it and size (unless -1).
func writeTemp(dir, pattern string, r io.Reader, size int64, sum string) (path string, err error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return "", err
	}
	if sum != "" {
		if size >= 0 && n != size {
			return "", fmt.Errorf("got %d bytes, want %d: %w", n, size, archive.ErrDigestMismatch)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sum {
			return "", fmt.Errorf("bytes hash to %.12s…, want %.12s…: %w", got, sum, archive.ErrDigestMismatch)
		}
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// mkdirs creates dir and fsyncs every folder from it up to the store root,
// so a new folder's entry survives a crash along with the archive in it.
func (s *Store) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
		if filepath.Dir(d) == s.root || d == s.root || len(d) <= len(s.root) {
			return nil
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
