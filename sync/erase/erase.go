// Package erase removes a person's archives from a store, for an erasure
// request: the workspace forgets them with `loupe delete`, and this finds
// every sealed archive of the visitor in the collector's store (file or
// S3) and deletes it, so a later sync cannot bring them back. Archive keys
// do not name the visitor, so every archive's header is read; a header is
// the first line of the stream, so only its first bytes are fetched.
package erase

import (
	"context"
	"errors"
	"fmt"

	"github.com/loupe-dev/loupe/core/archive"
)

// Store is a store that lists, opens and deletes archives.
type Store interface {
	archive.Store
	archive.Deleter
}

// Match says whether an archive with this header is to be erased.
type Match func(archive.Header) bool

// ByVisitor matches the archives of one visitor.
func ByVisitor(visitor string) Match {
	return func(h archive.Header) bool { return h.Visitor == visitor }
}

// Result is what an erasure found and deleted.
type Result struct {
	Scanned int             `json:"scanned"`
	Matched []archive.Entry `json:"matched"`
	Deleted int             `json:"deleted"`
	// Unreadable lists keys whose header could not be read; they are left
	// alone and reported, since they may hold the person's data.
	Unreadable []string `json:"unreadable"`
}

// pageSize is how many keys one List call asks for.
const pageSize = 1000

// Run lists every archive in the store, reads each header and deletes the
// archives that match (only lists them when dryRun). progress, if not nil,
// is called after each archive with the counts so far.
func Run(ctx context.Context, st Store, match Match, dryRun bool, progress func(Result)) (Result, error) {
	res := Result{Matched: []archive.Entry{}, Unreadable: []string{}}
	after := ""
	for {
		page, err := st.List(ctx, after, pageSize)
		if err != nil {
			return res, fmt.Errorf("erase: list: %w", err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			h, err := header(ctx, st, e.Key)
			res.Scanned++
			switch {
			case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
				return res, fmt.Errorf("erase: %w", err)
			case err != nil:
				res.Unreadable = append(res.Unreadable, e.Key)
			case match(h):
				res.Matched = append(res.Matched, e)
			}
			if progress != nil {
				progress(res)
			}
		}
		after = page[len(page)-1].Key
	}
	if dryRun {
		return res, nil
	}
	for _, e := range res.Matched {
		if err := st.Delete(ctx, e.Key); err != nil {
			return res, fmt.Errorf("erase: %w", err)
		}
		res.Deleted++
	}
	return res, nil
}

// header reads the header of the archive at key.
func header(ctx context.Context, st archive.Store, key string) (archive.Header, error) {
	rc, err := st.Open(ctx, key)
	if err != nil {
		return archive.Header{}, err
	}
	defer rc.Close()
	r, err := archive.NewReader(rc)
	if err != nil {
		return archive.Header{}, err
	}
	return r.Header(), nil
}
