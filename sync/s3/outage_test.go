package s3_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

func TestOutage(t *testing.T) {
	srv := miniotest.Start(t)
	bucket := "outage"
	srv.MakeBucket(t, bucket)
	ctx := context.Background()
	cfg := rootConfig
	cfg.Retry = fastRetry
	s := openStore(t, srv.StoreURL(bucket, "p"), cfg)
	patientCfg := rootConfig
	patientCfg.Retry = s3.Retry{Attempts: 60, Base: 100 * time.Millisecond, Max: 300 * time.Millisecond}
	patient := openStore(t, srv.StoreURL(bucket, "p"), patientCfg)
	before := archivetest.NewBlob(t, "s_outage001", 10)
	if err := s.Put(ctx, "before.loupe", bytes.NewReader(before.Data), int64(len(before.Data)), before.SHA256); err != nil {
		t.Fatal(err)
	}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	during := archivetest.NewBlob(t, "s_outage002", 10)
	if err := s.Put(ctx, "during.loupe", bytes.NewReader(during.Data), int64(len(during.Data)), during.SHA256); !errors.Is(err, s3.ErrUnreachable) {
		t.Fatalf("Put while MinIO is down: error = %v, want ErrUnreachable", err)
	}
	if _, err := s.List(ctx, "", 0); !errors.Is(err, s3.ErrUnreachable) {
		t.Fatalf("List while MinIO is down: error = %v, want ErrUnreachable", err)
	}
	if _, err := s.Open(ctx, "before.loupe"); !errors.Is(err, s3.ErrUnreachable) {
		t.Fatalf("Open while MinIO is down: error = %v, want ErrUnreachable", err)
	}

	// A Put that starts during the outage rides it out when the server is
	// back within the retry budget.
	done := make(chan error, 1)
	go func() {
		done <- patient.Put(ctx, "during.loupe", bytes.NewReader(during.Data), int64(len(during.Data)), during.SHA256)
	}()
	time.Sleep(500 * time.Millisecond)
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Put across the restart: %v", err)
	}
	entries, err := s.List(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].SHA256 != before.SHA256 || entries[1].SHA256 != during.SHA256 {
		t.Fatalf("after the outage List = %+v, want before.loupe and during.loupe", entries)
	}
}
