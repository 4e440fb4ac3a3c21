// Package source opens the places a workspace syncs archives from: a
// collector's archive API (http://, https://), an S3 bucket (s3://) or a
// folder of archives copied by hand. Each is the read half of
// archive.Store, so the sync engine treats them alike.
package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/loupe-dev/loupe/core/archive"
)

// Source lists and opens archives and the page assets they list: the
// read half of archive.Store and archive.AssetStore.
type Source interface {
	// List returns up to limit entries whose key sorts after "after", in
	// ascending key order. An entry's SHA256 may be empty when the source
	// keeps no digest (a folder); the sync engine then computes it.
	List(ctx context.Context, after string, limit int) ([]archive.Entry, error)
	// Open streams one archive; a missing key matches fs.ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// OpenAsset streams the page asset with this sha256 (lowercase hex),
	// kept beside the archives that list it; a missing one matches
	// fs.ErrNotExist. The caller verifies the bytes against the digest.
	OpenAsset(ctx context.Context, sha256 string) (io.ReadCloser, error)
}

// Unordered is implemented by sources whose new archives may sort before
// old ones (files copied by hand). The sync engine lists them from the
// start every time and relies on digests, not a cursor, to skip what it
// already has.
type Unordered interface {
	Unordered() bool
}

// Errors that tell a user what to fix, matched with errors.Is.
var (
	// ErrUnauthorized: the collector refused the token.
	ErrUnauthorized = errors.New("the collector refused the token")
	// ErrUnsupported: the address names a kind of source this build
	// cannot read.
	ErrUnsupported = errors.New("unsupported source")
)

// opener opens one kind of source by its address scheme.
type opener func(ctx context.Context, addr, token string) (Source, error)

// openers holds the schemes besides folders; backends that need an
// optional dependency register themselves from their own file.
var openers = map[string]opener{
	"http":  openHTTP,
	"https": openHTTP,
}

// Open opens the source at addr: http(s)://collector[/prefix] (token is
// the analyst token), s3://bucket/prefix?endpoint=... (credentials from
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), file://DIR or a folder path.
func Open(ctx context.Context, addr, token string) (Source, error) {
	if addr == "" {
		return nil, fmt.Errorf("open source: %w: empty address", ErrUnsupported)
	}
	scheme, rest, ok := strings.Cut(addr, "://")
	if !ok {
		return openFolder(addr)
	}
	if scheme == "file" {
		return openFolder(rest)
	}
	open, ok := openers[strings.ToLower(scheme)]
	if !ok {
		return nil, fmt.Errorf("open source %s: %w: want http(s)://, s3:// or a folder", Name(addr), ErrUnsupported)
	}
	return open(ctx, addr, token)
}

// Name is the stable name a workspace records a source's cursor under:
// the address without credentials, and a folder as its absolute path.
func Name(addr string) string {
	scheme, rest, ok := strings.Cut(addr, "://")
	if !ok || scheme == "file" {
		if !ok {
			rest = addr
		}
		if abs, err := filepath.Abs(rest); err == nil {
			return "file://" + abs
		}
		return "file://" + rest
	}
	// Drop user:password@ if someone put credentials in the address.
	if at := strings.Index(rest, "@"); at >= 0 {
		if slash := strings.Index(rest, "/"); slash < 0 || at < slash {
			rest = rest[at+1:]
		}
	}
	return strings.ToLower(scheme) + "://" + strings.TrimSuffix(rest, "/")
}

// isDir reports whether path is an existing directory.
func isDir(path string) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return fi.IsDir(), nil
}
