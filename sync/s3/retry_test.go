package s3_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/s3"
)

// flakyProxy sits in front of MinIO and answers the first `failures`
// requests of the given method with 503 SlowDown, as a busy S3 does.
func flakyProxy(t *testing.T, target, method string, failures int64) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == method && seen.Add(1) <= failures {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestRetriesReplayTheBody(t *testing.T) {
	srv := minioServer(t)
	bucket := newBucket(t, srv)
	proxy, seen := flakyProxy(t, srv.Endpoint, http.MethodPut, 2)
	cfg := rootConfig
	cfg.Retry = s3.Retry{Attempts: 4, Base: 10 * time.Millisecond, Max: 50 * time.Millisecond}
	s := openStore(t, "s3://"+bucket+"/r?endpoint="+proxy.URL+"&region=us-east-1", cfg)
	b := archivetest.NewBlob(t, "s_retry0001", 500)
	// A reader that can be read once only: retries must use the spooled copy.
	once := io.MultiReader(bytes.NewReader(b.Data))
	if err := s.Put(context.Background(), "r.loupe", once, int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatalf("Put through two 503s: %v", err)
	}
	if got := seen.Load(); got != 3 {
		t.Errorf("PUT requests = %d, want 3 (two refused, one stored)", got)
	}
	e, err := s.List(context.Background(), "", 0)
	if err != nil || len(e) != 1 || e[0].SHA256 != b.SHA256 || e[0].Size != int64(len(b.Data)) {
		t.Fatalf("List = %+v, %v; want the archive whole", e, err)
	}
}

func TestRetriesGiveUp(t *testing.T) {
	srv := minioServer(t)
	bucket := newBucket(t, srv)
	proxy, seen := flakyProxy(t, srv.Endpoint, http.MethodPut, 1000)
	s := openStore(t, "s3://"+bucket+"/r?endpoint="+proxy.URL+"&region=us-east-1", s3.Config{AccessKey: rootConfig.AccessKey, SecretKey: rootConfig.SecretKey, Retry: fastRetry})
	b := archivetest.NewBlob(t, "s_retry0002", 5)
	err := s.Put(context.Background(), "r.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256)
	if !errors.Is(err, s3.ErrUnreachable) || !strings.Contains(err.Error(), "reduce your request rate") {
		t.Fatalf("Put against a server that keeps refusing: error = %v, want ErrUnreachable with the server's reason", err)
	}
	if got := seen.Load(); got != int64(fastRetry.Attempts) {
		t.Errorf("PUT requests = %d, want %d attempts", got, fastRetry.Attempts)
	}
}

func TestLargeUnseekablePutSpoolsToDisk(t *testing.T) {
	srv := minioServer(t)
	s := openStore(t, srv.StoreURL(newBucket(t, srv), "big"), rootConfig)
	data := make([]byte, 9<<20) // over the in-memory spool
	rand.Read(data)
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	r := io.MultiReader(bytes.NewReader(data[:1<<20]), bytes.NewReader(data[1<<20:]))
	if err := s.Put(context.Background(), "big.loupe", r, -1, hexSum); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(context.Background(), "big.loupe")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (%v), want %d identical", len(got), err, len(data))
	}
}
