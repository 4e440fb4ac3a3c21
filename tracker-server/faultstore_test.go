package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

// TestStartsAndIngestsWithMinIODown starts the collector while its S3
// store (a real MinIO, stopped) is unreachable: it must start, acknowledge
// batches and seal them, and upload everything promptly once MinIO is
// back.
func TestStartsAndIngestsWithMinIODown(t *testing.T) {
	minio := miniotest.Start(t)
	minio.MakeBucket(t, "loupe")
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("AWS_SESSION_TOKEN", "")
	if err := minio.Stop(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	began := time.Now()
	s := start(t, dir, "127.0.0.1:18222", "--data", "data", "--store", minio.StoreURL("loupe", "down"), "--seal-after", "300ms")
	t.Logf("started in %v with the store down", time.Since(began).Round(time.Millisecond))
	client := &http.Client{Timeout: 5 * time.Second}
	const sessions, batches = 4, 3
	for i := range sessions {
		for seq := range batches {
			if ok, err := postBatch(client, s.url, probeBatch(fmt.Sprintf("s_s3down%02d", i), seq)); !ok {
				t.Fatalf("batch with the store down: %v", err)
			}
		}
	}
	waitStatus(t, []*server{s}, "sealed and waiting", 20*time.Second, func(st statusReply) bool {
		return st.OpenSessions == 0 && st.PendingUploads == sessions && st.UploadErrors > 0
	})
	if err := minio.Restart(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	waitStatus(t, []*server{s}, "uploaded after MinIO came back", 30*time.Second, func(st statusReply) bool {
		return st.PendingUploads == 0 && st.SealedArchives == sessions
	})
	t.Logf("everything uploaded %v after MinIO came back", time.Since(back).Round(time.Millisecond))
	got := archivedEvents(t, s)
	for i := range sessions {
		if n := len(got[fmt.Sprintf("s_s3down%02d", i)]); n != batches*4+1 {
			t.Errorf("session %d: %d events archived, want %d", i, n, batches*4+1)
		}
	}
	stopServer(t, s, syscall.SIGTERM)
	if strings.Contains(s.logs.String(), "level=ERROR") {
		t.Errorf("error lines while the store was down:\n%s", s.logs)
	}
}

// TestStartRemovesStaleTempFiles checks that temporary files a killed
// write left in the file store go at the next start, once old enough.
func TestStartRemovesStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	day := filepath.Join(dir, "data", "archives", "2026", "11", "27")
	os.MkdirAll(day, 0o755)
	stale := filepath.Join(day, ".x.loupe.tmp-123")
	os.WriteFile(stale, []byte("half an archive"), 0o644)
	past := time.Now().Add(-time.Hour)
	os.Chtimes(stale, past, past)
	s := start(t, dir, "127.0.0.1:18223", "--data", "data")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(stale); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stale temporary file still in the store 10 s after start\n%s", s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopServer(t, s, syscall.SIGTERM)
}
