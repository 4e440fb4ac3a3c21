package source

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
// folder.
func (f *folder) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	var out []archive.Entry
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
		key := filepath.ToSlash(rel)
		if key <= after {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, archive.Entry{Key: key, Size: info.Size(), Modified: info.ModTime().UTC()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list folder %s: %w", f.root, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
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
