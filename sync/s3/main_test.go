package s3_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

// One MinIO serves every test of the package except the outage tests,
// which stop and restart their own.
var (
	sharedOnce   sync.Once
	sharedServer *miniotest.Server
	sharedErr    error
	sharedDir    string
	bucketSeq    atomic.Int64
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedServer != nil {
		sharedServer.Stop()
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// minioServer returns the shared server, failing the test (or skipping it
// with LOUPE_SKIP_MINIO=1) when MinIO is not installed.
func minioServer(t testing.TB) *miniotest.Server {
	t.Helper()
	sharedOnce.Do(func() {
		if _, sharedErr = miniotest.Binary(); sharedErr != nil {
			return
		}
		sharedDir, sharedErr = os.MkdirTemp("", "loupe-minio-*")
		if sharedErr == nil {
			sharedServer, sharedErr = miniotest.StartIn(sharedDir)
		}
	})
	if sharedErr != nil {
		if _, binErr := miniotest.Binary(); binErr != nil && os.Getenv("LOUPE_SKIP_MINIO") == "1" {
			t.Skipf("LOUPE_SKIP_MINIO=1: %v", sharedErr)
		}
		t.Fatal(sharedErr)
	}
	return sharedServer
}

// newBucket makes a fresh bucket on srv.
func newBucket(t testing.TB, srv *miniotest.Server) string {
	t.Helper()
	name := fmt.Sprintf("t%d-%d", time.Now().UnixNano()%1e9, bucketSeq.Add(1))
	srv.MakeBucket(t, name)
	return name
}

var rootConfig = s3.Config{AccessKey: miniotest.RootUser, SecretKey: miniotest.RootPassword}

// fastRetry keeps failure tests short.
var fastRetry = s3.Retry{Attempts: 3, Base: 20 * time.Millisecond, Max: 100 * time.Millisecond}

func openStore(t testing.TB, url string, cfg s3.Config) *s3.Store {
	t.Helper()
	s, err := s3.OpenWith(context.Background(), url, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return s
}
