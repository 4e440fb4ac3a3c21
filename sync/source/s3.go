package source

import (
	"context"
	"fmt"

	"github.com/loupe-dev/loupe/sync/s3"
)

func init() { openers["s3"] = openS3 }

// openS3 reads a bucket with the same store the collectors write to
// (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; read-only
// keys suffice). The token is not used.
func openS3(ctx context.Context, addr, _ string) (Source, error) {
	st, err := s3.Open(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("open source %s: %w", Name(addr), err)
	}
	return st, nil
}
