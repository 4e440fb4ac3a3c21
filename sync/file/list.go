package file

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/loupe-dev/loupe/core/archive"
)

// List walks the folder in key order, so it stops after limit entries
// instead of reading the whole tree: siblings are visited sorted by their
// name, with "/" appended for folders, which is exactly the byte order of
// the keys below them. Folders whose keys all sort before the cursor are
// skipped unread. Files that are not archives (digests, temporary files,
// anything else) are ignored.
func (s *Store) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	l := lister{ctx: ctx, store: s, after: after, limit: limit}
	if err := l.walk(""); err != nil && err != errEnough {
		return nil, fmt.Errorf("list: %w", err)
	}
	return l.out, nil
}

// errEnough stops the walk once limit entries are found.
var errEnough = errors.New("enough entries")

type lister struct {
	ctx   context.Context
	store *Store
	after string
	limit int
	out   []archive.Entry
}

type child struct {
	order string // name, plus "/" for a folder
	key   string
	dir   bool
}

func (l *lister) walk(prefix string) error {
	if err := l.ctx.Err(); err != nil {
		return err
	}
	des, err := os.ReadDir(filepath.Join(l.store.root, filepath.FromSlash(prefix)))
	if err != nil {
		return err
	}
	kids := make([]child, 0, len(des))
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		switch {
		case de.IsDir() && prefix+name+"/" == archive.AssetPrefix:
			// Page assets, not archives: never read.
			continue
		case de.IsDir():
			kids = append(kids, child{order: name + "/", key: prefix + name, dir: true})
		case de.Type().IsRegular() && strings.HasSuffix(name, archive.KeySuffix):
			kids = append(kids, child{order: name, key: prefix + name})
		}
	}
	sort.Slice(kids, func(i, j int) bool { return kids[i].order < kids[j].order })
	for _, k := range kids {
		if k.dir {
			// Every key below folder D lies between "D/" and "D0" ('0'
			// follows '/'), so a cursor at or past "D0" skips it all.
			if l.after >= k.key+"0" {
				continue
			}
			if err := l.walk(k.key + "/"); err != nil {
				return err
			}
			continue
		}
		if k.key <= l.after || archive.ValidateKey(k.key) != nil {
			continue
		}
		e, err := l.store.entry(k.key)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return err
		}
		l.out = append(l.out, e)
		if l.limit > 0 && len(l.out) >= l.limit {
			return errEnough
		}
	}
	return nil
}

// entry describes the archive at key.
func (s *Store) entry(key string) (archive.Entry, error) {
	p := s.path(key)
	fi, err := os.Stat(p)
	if err != nil {
		return archive.Entry{}, err
	}
	sum, err := s.digestOf(p)
	if err != nil {
		return archive.Entry{}, err
	}
	return archive.Entry{Key: key, Size: fi.Size(), SHA256: sum, Modified: fi.ModTime().UTC()}, nil
}

// digestOf returns the SHA-256 of the archive file p: from its digest file,
// or by hashing it when that is missing or unreadable (a folder copied by
// hand). A missing archive gives fs.ErrNotExist.
func (s *Store) digestOf(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", notExist(err)
	}
	defer f.Close()
	if sum, ok := readSidecar(p+sidecarSuffix, path.Base(filepath.ToSlash(p))); ok {
		return sum, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readSidecar parses a `sha256sum` line naming base.
func readSidecar(p, base string) (string, bool) {
	f, err := os.Open(p)
	if err != nil {
		return "", false
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 1024)).ReadString('\n')
	if err != nil {
		return "", false
	}
	sum, name, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "  ")
	if !ok || name != base || archive.ValidateDigest(sum) != nil {
		return "", false
	}
	return sum, true
}
