package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
)

// spoolInMemory is the largest archive Put buffers in memory; larger ones
// go to a temporary file. Most session archives are well below it.
const spoolInMemory = 8 << 20

// maxSinglePut is S3's limit for one PUT; an archive is never near it.
const maxSinglePut = 5 << 30

// Put uploads r under key once its bytes match size and sha256. Nothing is
// uploaded for bytes that do not match (ErrDigestMismatch). The PUT is
// conditional, so an existing object is never replaced: the same bytes
// again succeed, different bytes give ErrConflict. A collector with a
// write-only key cannot read the existing object to compare; keys embed
// the collector and the seal time, so it is its own earlier upload and Put
// succeeds.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	if err := archive.CheckPut(ctx, key, sum); err != nil {
		return err
	}
	body, err := spool(ctx, r, size, sum)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer body.Close()
	if body.size > maxSinglePut {
		return fmt.Errorf("put %s: %d bytes is over the %d byte single upload limit", key, body.size, int64(maxSinglePut))
	}
	name := s.loc.Prefix + key
	err = s.retry.do(ctx, func() (error, bool) {
		rs, err := body.open()
		if err != nil {
			return err, false
		}
		opts := minio.PutObjectOptions{
			ContentType:      "application/gzip",
			UserMetadata:     map[string]string{metaSHA256: sum},
			DisableMultipart: true,
		}
		opts.SetMatchETagExcept("*")
		_, err = s.client.PutObject(ctx, s.loc.Bucket, name, rs, body.size, opts)
		if minio.ToErrorResponse(err).Code == "PreconditionFailed" {
			return s.compareExisting(ctx, name, sum)
		}
		return classify(err)
	})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// compareExisting decides a Put whose key is taken.
func (s *Store) compareExisting(ctx context.Context, name, sum string) (error, bool) {
	have, err := s.statDigest(ctx, name)
	if err != nil {
		err, transient := classify(err)
		if errors.Is(err, ErrAccessDenied) {
			return nil, false // write-only key: see Put
		}
		return err, transient
	}
	if have == sum {
		return nil, false
	}
	return fmt.Errorf("stored sha256 %.12q, new %.12s…: %w", have, sum, archive.ErrConflict), false
}

// spooled is a checked copy of a Put's bytes that each attempt can reread.
type spooled struct {
	size  int64
	mem   []byte
	file  *os.File
	seek  io.ReadSeeker
	start int64
}

// spool reads r once, checking size and digest. A seekable r is not
// copied, only rewound for each attempt.
func spool(ctx context.Context, r io.Reader, size int64, sum string) (*spooled, error) {
	h := sha256.New()
	b := &spooled{}
	src := archive.ContextReader(ctx, r)
	var n int64
	var err error
	if rs, ok := r.(io.ReadSeeker); ok {
		if b.start, err = rs.Seek(0, io.SeekCurrent); err != nil {
			return nil, err
		}
		b.seek = rs
		n, err = io.Copy(h, src)
	} else {
		var buf bytes.Buffer
		n, err = io.Copy(io.MultiWriter(&buf, h), io.LimitReader(src, spoolInMemory+1))
		if err == nil && n > spoolInMemory {
			if b.file, err = os.CreateTemp("", "loupe-s3-put-*"); err == nil {
				os.Remove(b.file.Name()) // gone with the last close, even after a crash
				var more int64
				if _, err = b.file.Write(buf.Bytes()); err == nil {
					more, err = io.Copy(io.MultiWriter(b.file, h), src)
					n += more
				}
			}
		} else {
			b.mem = buf.Bytes()
		}
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	b.size = n
	if size >= 0 && n != size {
		b.Close()
		return nil, fmt.Errorf("got %d bytes, want %d: %w", n, size, archive.ErrDigestMismatch)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		b.Close()
		return nil, fmt.Errorf("bytes hash to %.12s…, want %.12s…: %w", got, sum, archive.ErrDigestMismatch)
	}
	return b, nil
}

// open rewinds the bytes for one upload attempt.
func (b *spooled) open() (io.Reader, error) {
	switch {
	case b.mem != nil:
		return bytes.NewReader(b.mem), nil
	case b.file != nil:
		return io.NewSectionReader(b.file, 0, b.size), nil
	case b.seek != nil:
		if ra, ok := b.seek.(io.ReaderAt); ok {
			return io.NewSectionReader(ra, b.start, b.size), nil
		}
		if _, err := b.seek.Seek(b.start, io.SeekStart); err != nil {
			return nil, err
		}
		return io.LimitReader(b.seek, b.size), nil
	}
	return bytes.NewReader(nil), nil
}

func (b *spooled) Close() {
	if b.file != nil {
		b.file.Close()
	}
}
