package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

// Collectors get write-only keys and analysts read-only ones (README
// "Running at scale"); both must be enough for their side.
func TestLeastPrivilegeKeys(t *testing.T) {
	srv := minioServer(t)
	bucket := newBucket(t, srv)
	const prefix = "archives/"
	url := srv.StoreURL(bucket, prefix)
	ctx := context.Background()

	writeKeys, err := srv.AssumeRole(miniotest.WriteOnlyPolicy(bucket, prefix))
	if err != nil {
		t.Fatal(err)
	}
	readKeys, err := srv.AssumeRole(miniotest.ReadOnlyPolicy(bucket, prefix))
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(k miniotest.Keys) s3.Config {
		return s3.Config{AccessKey: k.AccessKey, SecretKey: k.SecretKey, SessionToken: k.SessionToken, Retry: fastRetry}
	}

	collector, err := s3.OpenWith(ctx, url, cfg(writeKeys))
	if err != nil {
		t.Fatalf("open with a write-only key: %v", err)
	}
	b := archivetest.NewBlob(t, "s_policy001", 20)
	if err := collector.Put(ctx, "2026/a.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatalf("write-only Put: %v", err)
	}
	// A retried upload after a lost response finds its own object.
	if err := collector.Put(ctx, "2026/a.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatalf("write-only Put again: %v", err)
	}
	if _, err := collector.List(ctx, "", 0); !errors.Is(err, s3.ErrAccessDenied) {
		t.Errorf("write-only List: error = %v, want ErrAccessDenied", err)
	}
	if _, err := collector.Open(ctx, "2026/a.loupe"); !errors.Is(err, s3.ErrAccessDenied) {
		t.Errorf("write-only Open: error = %v, want ErrAccessDenied", err)
	}
	outside := openStore(t, srv.StoreURL(bucket, "elsewhere/"), cfg(writeKeys))
	if err := outside.Put(ctx, "a.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); !errors.Is(err, s3.ErrAccessDenied) {
		t.Errorf("write-only Put outside its prefix: error = %v, want ErrAccessDenied", err)
	}

	analyst, err := s3.OpenWith(ctx, url, cfg(readKeys))
	if err != nil {
		t.Fatalf("open with a read-only key: %v", err)
	}
	entries, err := analyst.List(ctx, "", 0)
	if err != nil {
		t.Fatalf("read-only List: %v", err)
	}
	if len(entries) != 1 || entries[0].Key != "2026/a.loupe" || entries[0].SHA256 != b.SHA256 {
		t.Fatalf("read-only List = %+v, want 2026/a.loupe with sha256 %s", entries, b.SHA256)
	}
	rc, err := analyst.Open(ctx, "2026/a.loupe")
	if err != nil {
		t.Fatalf("read-only Open: %v", err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, b.Data) {
		t.Fatalf("read-only download: %d bytes, %v; want %d bytes", len(got), err, len(b.Data))
	}
	if err := analyst.Put(ctx, "2026/b.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); !errors.Is(err, s3.ErrAccessDenied) {
		t.Errorf("read-only Put: error = %v, want ErrAccessDenied", err)
	}
}
