package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/sync/s3"
)

// openStore opens the archive store named by raw: "" (DATA/archives),
// file://DIR, a plain directory, or s3://bucket/prefix?endpoint=...
// (docs/design.md). It also returns a printable name without secrets.
func openStore(ctx context.Context, raw, dataDir string) (archive.Store, string, error) {
	switch {
	case raw == "":
		dir := filepath.Join(dataDir, "archives")
		st, err := file.New(dir)
		if err != nil {
			return nil, "", fmt.Errorf("open file store %s: %w", dir, err)
		}
		return st, "file://" + dir, nil
	case strings.HasPrefix(raw, "s3://"):
		st, err := s3.Open(ctx, raw)
		if err != nil {
			return nil, "", fmt.Errorf("open s3 store: %w", err)
		}
		return st, raw, nil
	case strings.HasPrefix(raw, "file://"):
		dir := strings.TrimPrefix(raw, "file://")
		st, err := file.New(dir)
		if err != nil {
			return nil, "", fmt.Errorf("open file store %s: %w", dir, err)
		}
		return st, raw, nil
	case strings.Contains(raw, "://"):
		return nil, "", fmt.Errorf("store %q: want file://DIR or s3://bucket/prefix", raw)
	default:
		st, err := file.New(raw)
		if err != nil {
			return nil, "", fmt.Errorf("open file store %s: %w", raw, err)
		}
		return st, "file://" + raw, nil
	}
}
