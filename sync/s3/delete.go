package s3

import (
	"context"
	"fmt"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
)

var _ archive.Deleter = (*Store)(nil)

// Delete removes the archive object at key (its digest is the object's
// metadata, so it goes with it). S3 deletes are idempotent: a missing key
// succeeds. The request is retried like the others.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := archive.ValidateKey(key); err != nil {
		return fmt.Errorf("delete %q: %w", key, err)
	}
	err := s.retry.do(ctx, func() (error, bool) {
		if err := s.client.RemoveObject(ctx, s.loc.Bucket, s.loc.Prefix+key, minio.RemoveObjectOptions{}); err != nil {
			return classify(err)
		}
		return nil, false
	})
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}
