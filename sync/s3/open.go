package s3

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
)

// Open streams the archive at key; a missing key matches fs.ErrNotExist.
// The first request is retried; a read that fails midway is not (open it
// again: archives never change).
func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := archive.ValidateKey(key); err != nil {
		return nil, fmt.Errorf("open %q: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	var obj *minio.Object
	err := s.retry.do(ctx, func() (error, bool) {
		o, err := s.client.GetObject(ctx, s.loc.Bucket, s.loc.Prefix+key, minio.GetObjectOptions{})
		if err != nil {
			return classify(err)
		}
		// GetObject is lazy; Stat sends the request so that a missing key
		// or a denied read shows here, not at the first Read.
		if _, err := o.Stat(); err != nil {
			o.Close()
			return classify(err)
		}
		obj = o
		return nil, false
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, err)
	}
	return obj, nil
}

func errorsIsAccessDenied(err error) bool { return errors.Is(err, ErrAccessDenied) }
