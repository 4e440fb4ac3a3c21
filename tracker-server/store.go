package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/sync/s3"
)

// storeCheckTimeout bounds the start-up check of an S3 store, so that a
// store that does not answer delays the collector's start this long at most.
const storeCheckTimeout = 3 * time.Second

// openStore opens the archive store named by raw: "" (DATA/archives),
// file://DIR, a plain directory, or s3://bucket/prefix?endpoint=...
// (docs/design.md). It also returns a printable name without secrets.
func openStore(ctx context.Context, raw, dataDir string) (archive.Store, string, error) {
	switch {
	case raw == "":
		dir := filepath.Join(dataDir, "archives")
		st, err := openFileStore(dir)
		if err != nil {
			return nil, "", err
		}
		return st, "file://" + dir, nil
	case strings.HasPrefix(raw, "s3://"):
		checkCtx, cancel := context.WithTimeout(ctx, storeCheckTimeout)
		st, err := s3.Open(checkCtx, raw)
		cancel()
		if errors.Is(err, s3.ErrUnreachable) || (err != nil && checkCtx.Err() != nil) {
			// The store being down must not stop ingest: batches stay
			// durable on disk and upload once the store answers.
			st, err = s3.OpenUnchecked(ctx, raw)
			if err != nil {
				return nil, "", fmt.Errorf("open s3 store: %w", err)
			}
			return st, raw + " (unreachable now: ingest goes on, uploads wait for it)", nil
		}
		if err != nil {
			return nil, "", fmt.Errorf("open s3 store: %w", err)
		}
		return st, raw, nil
	case strings.HasPrefix(raw, "file://"):
		dir := strings.TrimPrefix(raw, "file://")
		st, err := openFileStore(dir)
		if err != nil {
			return nil, "", err
		}
		return st, raw, nil
	case strings.Contains(raw, "://"):
		return nil, "", fmt.Errorf("store %q: want file://DIR or s3://bucket/prefix", raw)
	default:
		st, err := openFileStore(raw)
		if err != nil {
			return nil, "", err
		}
		return st, "file://" + raw, nil
	}
}

// openFileStore opens a file store.
func openFileStore(dir string) (*file.Store, error) {
	st, err := file.New(dir)
	if err != nil {
		return nil, fmt.Errorf("open file store %s: %w", dir, err)
	}
	return st, nil
}

// cleanFileStore removes the temporary files that writes interrupted by a
// crash left in a file store. It walks the whole store, so main runs it
// in the background rather than delay the start.
func cleanFileStore(store archive.Store, logger *slog.Logger) {
	st, ok := store.(*file.Store)
	if !ok {
		return
	}
	n, err := st.RemoveStaleTemp(file.StaleTempAge)
	if err != nil {
		logger.Warn("clean file store", "err", err)
	}
	if n > 0 {
		logger.Info("removed temporary files left by interrupted writes", "files", n)
	}
}
