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
	"github.com/loupe-dev/loupe/core/atomicfile"
)

// Put stores r under key so that a crash at any point leaves either no
// archive or the whole one: the bytes go to a hidden temporary file, are
// checked against size and sha256 and fsynced, the digest file is written
// the same way, and both are renamed into place with the folder fsynced
// (digest first, so a visible archive always has its digest).
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

	tmp, err := writeTemp(p, archive.ContextReader(ctx, r), size, sum)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer tmp.Discard() // a no-op once committed
	side, err := writeTemp(p+sidecarSuffix, strings.NewReader(sum+"  "+base+"\n"), -1, "")
	if err != nil {
		return fmt.Errorf("put %s: digest file: %w", key, err)
	}
	defer side.Discard()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}

	s.commit.Lock()
	defer s.commit.Unlock()
	if have, err := s.digestOf(p); err == nil {
		return sameOrConflict(key, have, sum)
	}
	if err := side.Commit(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := tmp.Commit(); err != nil {
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

// writeTemp copies r into a new fsynced temporary file for path, ready to
// commit. When sum is set, the bytes must match it and size (unless -1).
func writeTemp(path string, r io.Reader, size int64, sum string) (*atomicfile.File, error) {
	f, err := atomicfile.Create(path, 0)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil && sum != "" {
		if size >= 0 && n != size {
			err = fmt.Errorf("got %d bytes, want %d: %w", n, size, archive.ErrDigestMismatch)
		} else if got := hex.EncodeToString(h.Sum(nil)); got != sum {
			err = fmt.Errorf("bytes hash to %.12s…, want %.12s…: %w", got, sum, archive.ErrDigestMismatch)
		}
	}
	if err == nil {
		// Synced here, outside the store's commit lock, so parallel puts
		// do not wait on each other's disk writes.
		err = f.Sync()
	}
	if err != nil {
		f.Discard()
		return nil, err
	}
	return f, nil
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

// syncDir fsyncs a folder so the names created or renamed in it survive a
// crash.
func syncDir(dir string) error { return atomicfile.SyncDir(dir) }
