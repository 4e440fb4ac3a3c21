package s3

import (
	"context"
	"fmt"
	"strings"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
)

// metaSHA256 is the user metadata key holding an archive's digest.
const metaSHA256 = "Loupe-Sha256"

// List returns archives after the cursor in key order, which is the order
// S3 lists in (UTF-8 byte order) because keys are plain ASCII. Objects
// under the prefix that are not archive keys are skipped. A listing cut by
// a transient error resumes after the last key it got. The assets/ folder
// is jumped over, never listed.
func (s *Store) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	var out []archive.Entry
	cursor := after
	err := s.retry.do(ctx, func() (error, bool) {
		for {
			opts := minio.ListObjectsOptions{
				Prefix:    s.loc.Prefix,
				Recursive: true,
				// MinIO returns user metadata in listings; AWS does not, and
				// gets a HEAD per entry instead.
				WithMetadata: !s.loc.AWS,
			}
			if s.loc.Prefix+cursor != "" {
				opts.StartAfter = s.loc.Prefix + cursor
			}
			if limit > 0 {
				opts.MaxKeys = min(limit-len(out), 1000)
			}
			skipAssets := false
			for obj := range s.client.ListObjectsIter(ctx, s.loc.Bucket, opts) {
				if obj.Err != nil {
					return classify(obj.Err)
				}
				key := strings.TrimPrefix(obj.Key, s.loc.Prefix)
				if key <= cursor {
					continue
				}
				if strings.HasPrefix(key, archive.AssetPrefix) {
					// Page assets can number in the millions: rather than
					// page through them, list again from just past their
					// folder ("0" follows "/").
					skipAssets = true
					break
				}
				cursor = key
				if archive.ValidateKey(key) != nil {
					continue
				}
				e := archive.Entry{Key: key, Size: obj.Size, Modified: obj.LastModified.UTC(), SHA256: digestFrom(obj.UserMetadata)}
				if e.SHA256 == "" {
					sum, err := s.statDigest(ctx, obj.Key)
					if err != nil {
						return classify(err)
					}
					e.SHA256 = sum
				}
				out = append(out, e)
				if limit > 0 && len(out) >= limit {
					return nil, false
				}
			}
			if !skipAssets {
				return nil, false
			}
			cursor = strings.TrimSuffix(archive.AssetPrefix, "/") + "0"
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list %s after %q: %w", s.loc, after, err)
	}
	return out, nil
}

// statDigest reads an object's digest with a HEAD request; "" when the
// object was not written by a Loupe store.
func (s *Store) statDigest(ctx context.Context, name string) (string, error) {
	info, err := s.client.StatObject(ctx, s.loc.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return "", err
	}
	return digestFrom(info.UserMetadata), nil
}

// digestFrom finds the digest among user metadata, whose keys come back as
// "Loupe-Sha256" from a HEAD and "X-Amz-Meta-Loupe-Sha256" from a listing.
func digestFrom(meta map[string]string) string {
	for k, v := range meta {
		k = strings.ToLower(k)
		k = strings.TrimPrefix(k, "x-amz-meta-")
		if k == strings.ToLower(metaSHA256) && archive.ValidateDigest(v) == nil {
			return v
		}
	}
	return ""
}
