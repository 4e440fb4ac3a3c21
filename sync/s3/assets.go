package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
)

var _ archive.AssetStore = (*Store)(nil)

// HasAsset reports whether the asset with this digest is stored (a HEAD).
func (s *Store) HasAsset(ctx context.Context, sum string) (bool, error) {
	if err := archive.ValidateDigest(sum); err != nil {
		return false, fmt.Errorf("has asset: %w", err)
	}
	var found bool
	err := s.retry.do(ctx, func() (error, bool) {
		_, err := s.client.StatObject(ctx, s.loc.Bucket, s.loc.Prefix+archive.AssetKey(sum), minio.StatObjectOptions{})
		if err == nil {
			found = true
			return nil, false
		}
		err, transient := classify(err)
		if errors.Is(err, fs.ErrNotExist) || minio.ToErrorResponse(err).StatusCode == 404 {
			return nil, false
		}
		return err, transient
	})
	if err != nil {
		return false, fmt.Errorf("has asset %s: %w", sum, err)
	}
	return found, nil
}

// OpenAsset streams the asset with this digest; a missing one gives an
// error matching fs.ErrNotExist.
func (s *Store) OpenAsset(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := archive.ValidateDigest(sum); err != nil {
		return nil, fmt.Errorf("open asset: %w", err)
	}
	var obj *minio.Object
	err := s.retry.do(ctx, func() (error, bool) {
		o, err := s.client.GetObject(ctx, s.loc.Bucket, s.loc.Prefix+archive.AssetKey(sum), minio.GetObjectOptions{})
		if err != nil {
			return classify(err)
		}
		if _, err := o.Stat(); err != nil {
			o.Close()
			return classify(err)
		}
		obj = o
		return nil, false
	})
	if err != nil {
		return nil, fmt.Errorf("open asset %s: %w", sum, err)
	}
	return obj, nil
}

// PutAsset uploads r under its digest once the bytes match it, with the
// same conditional PUT as Put. The key is the content's digest, so an
// object already there holds these bytes and the PUT's refusal means
// success; no read permission is needed to know that.
func (s *Store) PutAsset(ctx context.Context, sum string, r io.Reader, size int64) error {
	if err := archive.CheckAssetPut(ctx, sum); err != nil {
		return err
	}
	body, err := spool(ctx, r, size, sum)
	if err != nil {
		return fmt.Errorf("put asset %s: %w", sum, err)
	}
	defer body.Close()
	if body.size > maxSinglePut {
		return fmt.Errorf("put asset %s: %d bytes is over the %d byte single upload limit", sum, body.size, int64(maxSinglePut))
	}
	err = s.retry.do(ctx, func() (error, bool) {
		rs, err := body.open()
		if err != nil {
			return err, false
		}
		opts := minio.PutObjectOptions{
			ContentType:      "application/octet-stream",
			UserMetadata:     map[string]string{metaSHA256: sum},
			DisableMultipart: true,
		}
		opts.SetMatchETagExcept("*")
		_, err = s.client.PutObject(ctx, s.loc.Bucket, s.loc.Prefix+archive.AssetKey(sum), rs, body.size, opts)
		if minio.ToErrorResponse(err).Code == "PreconditionFailed" {
			return nil, false
		}
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("put asset %s: %w", sum, err)
	}
	return nil
}
