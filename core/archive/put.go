package archive

import (
	"context"
	"fmt"
	"io"
)

// CheckPut is what every Store's Put checks before it touches storage: a
// valid key, a well-formed digest, and a live context. Backends call it so
// they reject the same input with the same errors.
func CheckPut(ctx context.Context, key, sha256 string) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("put %q: %w", key, err)
	}
	if err := ValidateDigest(sha256); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// ContextReader stops a long copy from r once ctx is done, so a cancelled
// Put does not keep streaming a large archive.
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
