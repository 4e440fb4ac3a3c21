// Package file is the archive store on a local folder: what the collector
// writes by default, and a folder source for archives copied by hand.
//
// Layout: the archive with key "a/b.loupe" is the file DIR/a/b.loupe, and
// its SHA-256 sits next to it in DIR/a/b.loupe.sha256, in the format of
// `sha256sum` ("HEX  b.loupe"). A sidecar rather than a digest in the file
// name keeps the folder readable as is (keys are file names, `zcat` and
// `sha256sum -c *.sha256` work on it), lets Open find a key with one path
// lookup, and costs List no hashing. Archives copied in without a sidecar
// are hashed when listed.
package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/loupe-dev/loupe/core/archive"
)

// sidecarSuffix names the digest file next to an archive.
const sidecarSuffix = ".sha256"

// Store keeps archives in a folder. It is safe for concurrent use; one
// process should write to a folder at a time.
type Store struct {
	root string
	// commit serialises the check-then-rename step of Put, so that two
	// Puts of one key cannot interleave their digest and archive files.
	commit sync.Mutex
}

var _ archive.Store = (*Store)(nil)

// New opens the store in dir, creating the folder if needed.
func New(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("file store: no folder given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("file store %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("file store: %w", err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("file store: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("file store: %s is not a folder", abs)
	}
	return &Store{root: abs}, nil
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.root }

// path maps a validated key to its file.
func (s *Store) path(key string) string {
	return filepath.Join(s.root, filepath.FromSlash(key))
}

// Open streams the archive at key. Reads fail once ctx is done.
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := archive.ValidateKey(key); err != nil {
		return nil, fmt.Errorf("open %q: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	p := s.path(key)
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, notExist(err))
	}
	// A symlink or device planted in the folder is not an archive, and a
	// link could point outside it.
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open %s: not a regular file: %w", key, os.ErrNotExist)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, notExist(err))
	}
	return &ctxFile{ctx: ctx, f: f}, nil
}

// notExist makes "a path segment is a file" read as a missing key too.
func notExist(err error) error {
	if errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("%w (%v)", os.ErrNotExist, err)
	}
	return err
}

// ctxFile is an open archive whose reads stop once its context is done.
// It exposes only Read and Close: an embedded *os.File would also offer
// WriteTo, which io.Copy prefers and which would bypass the check.
type ctxFile struct {
	ctx context.Context
	f   *os.File
}

func (c *ctxFile) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.f.Read(p)
}

func (c *ctxFile) Close() error { return c.f.Close() }
