package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/loupe-dev/loupe/core/archive"
)

// folder is a directory of archives copied by hand (a USB stick, a shared
// drive): every *.loupe file below it, at any depth. Such files keep no
// digest beside them and may arrive in any key order, so a folder is
// Unordered and its entries carry no SHA256; the sync engine hashes each
// file as it copies it. (sync/file is a store with its own layout; a folder
// of loose files is not one, hence this small reader.)
type folder struct {
	root string

	mu   sync.Mutex
	keys []string // the last walk's keys, sorted; nil before the first
}

func openFolder(dir string) (Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open folder %s: %w", dir, err)
	}
	ok, err := isDir(abs)
	if err != nil {
		return nil, fmt.Errorf("open folder %s: %w", dir, err)
	}
	if !ok {
		return nil, fmt.Errorf("open folder %s: not a folder", dir)
	}
	return &folder{root: abs}, nil
}

// Unordered implements Unordered.
func (f *folder) Unordered() bool { return true }

// List implements Source. Keys are slash-separated paths relative to the
// folder, in order.
//
// A sync lists a page at a time. Walking the whole tree for every page
// made a sync of n files cost n²/page directory entries (hours at a
// million files), so a listing from the start walks the tree once and
// keeps its sorted keys; later pages are cut from them, and only the
// files of a page are stat'ed. A file added during a sync is found by
// the next one: a folder is rescanned from the start every time.
func (f *folder) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if after == "" || f.keys == nil {
		keys, err := f.walk(ctx)
		if err != nil {
			return nil, err
		}
		f.keys = keys
	}
	i := sort.SearchStrings(f.keys, after)
	if i < len(f.keys) && f.keys[i] == after {
		i++
	}
	var out []archive.Entry
	for _, key := range f.keys[i:] {
		if limit > 0 && len(out) == limit {
			break
		}
		info, err := os.Lstat(filepath.Join(f.root, filepath.FromSlash(key)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the walk
		}
		if err != nil {
			return nil, fmt.Errorf("list folder %s: %w", f.root, err)
		}
		out = append(out, archive.Entry{Key: key, Size: info.Size(), Modified: info.ModTime().UTC()})
	}
	return out, nil
}

// walk lists the keys of every archive below the folder, sorted.
func (f *folder) walk(ctx context.Context) ([]string, error) {
	keys := []string{}
	err := filepath.WalkDir(f.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := d.Name()
		if d.IsDir() {
			if path != f.root && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			if filepath.Dir(path) == f.root && name+"/" == archive.AssetPrefix {
				return filepath.SkipDir // page assets, not archives
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(name, archive.KeySuffix) || strings.HasPrefix(name, ".") {
			return nil
		}
		rel, err := filepath.Rel(f.root, path)
		if err != nil {
			return err
		}
		keys = append(keys, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list folder %s: %w", f.root, err)
	}
	sort.Strings(keys)
	return keys, nil
}

// Open implements Source.
func (f *folder) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	clean := filepath.Clean(filepath.FromSlash(key))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("open %s: %w", key, archive.ErrInvalidKey)
	}
	file, err := os.Open(filepath.Join(f.root, clean))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	return file, nil
}
