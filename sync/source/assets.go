package source

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/archive"
)

// OpenAsset implements Source: GET /v1/assets/{sha256} with the token.
func (c *collector) OpenAsset(ctx context.Context, sha string) (io.ReadCloser, error) {
	if err := archive.ValidateDigest(sha); err != nil {
		return nil, fmt.Errorf("open asset: %w", err)
	}
	var body io.ReadCloser
	err := retry(ctx, func() error {
		resp, err := c.get(ctx, c.endpoint("/v1/assets/"+sha, nil))
		if err != nil {
			return transient(fmt.Errorf("download asset %.12s: %w", sha, unreachable(c.base.Host, err)))
		}
		if err := statusError(resp, "download asset "+sha[:12]); err != nil {
			resp.Body.Close()
			return err
		}
		body = resp.Body
		return nil
	})
	return body, err
}

// OpenAsset implements Source: <folder>/assets/<ab>/<sha256>, the file
// store's layout, so a copied store folder syncs with its assets.
func (f *folder) OpenAsset(ctx context.Context, sha string) (io.ReadCloser, error) {
	if err := archive.ValidateDigest(sha); err != nil {
		return nil, fmt.Errorf("open asset: %w", err)
	}
	p := filepath.Join(f.root, filepath.FromSlash(archive.AssetKey(sha)))
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, fmt.Errorf("open asset %.12s: %w", sha, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("open asset %.12s: not a regular file: %w", sha, os.ErrNotExist)
	}
	file, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open asset %.12s: %w", sha, err)
	}
	return file, nil
}
