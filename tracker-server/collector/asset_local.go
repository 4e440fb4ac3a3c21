package collector

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/archive"
)

// localAssets is the collector's own copy of fetched assets,
// DataDir/assets/ab/<sha256>: bytes land here first (durably) and go to
// the store when an archive listing them is uploaded, so a restart or a
// store outage between fetch and upload loses nothing.
type localAssets struct{ dir string }

func (l *localAssets) path(sum string) string {
	return filepath.Join(l.dir, sum[:2], sum)
}

// has reports whether the bytes with this digest are kept.
func (l *localAssets) has(sum string) bool {
	fi, err := os.Stat(l.path(sum))
	return err == nil && fi.Mode().IsRegular()
}

// put keeps body under its digest (temp file, fsync, rename, fsync dir)
// and reports whether it was already there.
func (l *localAssets) put(body []byte) (sum string, existed bool, err error) {
	sum = archive.SumAsset(body)
	if l.has(sum) {
		return sum, true, nil
	}
	p := l.path(sum)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return "", false, fmt.Errorf("keep asset: %w", err)
	}
	if err := writeFileDurable(p, body, 0o600); err != nil {
		return "", false, fmt.Errorf("keep asset: %w", err)
	}
	return sum, false, nil
}

// read returns the kept bytes; a missing asset matches fs.ErrNotExist.
func (l *localAssets) read(sum string) ([]byte, error) {
	if archive.ValidateDigest(sum) != nil {
		return nil, fmt.Errorf("read asset %q: %w", sum, fs.ErrNotExist)
	}
	b, err := os.ReadFile(l.path(sum))
	if err != nil {
		return nil, fmt.Errorf("read asset: %w", err)
	}
	// The folder is ours, but a disk can still flip a bit: never hand out
	// bytes under a digest they do not have.
	if archive.SumAsset(b) != sum {
		os.Remove(l.path(sum))
		return nil, fmt.Errorf("read asset %s: bytes changed on disk: %w", sum, fs.ErrNotExist)
	}
	return b, nil
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
