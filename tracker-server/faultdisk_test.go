package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// postCode posts a batch and returns the status and Retry-After header
// (code 0 when the collector did not answer).
func postCode(client *http.Client, url string, body []byte) (int, string) {
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/ingest", bytes.NewReader(body))
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Content-Type", "text/plain")
	resp, err := client.Do(req)
	if err != nil {
		return 0, ""
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// paddedBatch is probeBatch with an extra event of about pad bytes, so a
// small disk fills in a few dozen batches.
func paddedBatch(session string, seq, pad int) []byte {
	b := probeBatch(session, seq)
	ev := fmt.Sprintf(`,{"type":3,"timestamp":1764195600999,"data":{"source":5,"text":"%s"}}]}`, strings.Repeat("p", pad))
	return append(bytes.TrimSuffix(b, []byte("]}")), ev...)
}

// fillDisk writes a file that leaves about leave bytes free in dir.
func fillDisk(t *testing.T, dir string, leave int64) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * st.Bsize
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for n := int64(0); n < free-leave; n += int64(len(chunk)) {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	return p
}

// TestFullDiskIsRetryableSurvivesRestartAndDrains fills the collector's
// disk (a 20 MB tmpfs): batches get 507 with Retry-After and one error
// line per interval, not per batch; the collector restarts while the disk
// is full, frees room by itself by sealing (uploading straight from the
// logs), and loses no acknowledged batch.
func TestFullDiskIsRetryableSurvivesRestartAndDrains(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the full-disk test mounts a small tmpfs and needs root (CI runs as root)")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o700)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", data).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs for the full-disk test: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", data).Run() })
	const addr = "127.0.0.1:18221"
	args := func(sealAfter string) []string {
		return []string{"--data", data, "--store", "file://" + filepath.Join(dir, "archives"), "--seal-after", sealAfter}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	acked := map[string]bool{}
	post := func(url, session string, seq, pad int) (int, string) {
		code, retry := postCode(client, url, paddedBatch(session, seq, pad))
		if code == http.StatusOK {
			acked[fmt.Sprintf("%s/%d", session, seq)] = true
		}
		return code, retry
	}

	// Some sealed sessions first, so that sealed.log has entries.
	s := start(t, dir, addr, args("200ms")...)
	for i := range 3 {
		if code, _ := post(s.url, fmt.Sprintf("s_diskpre%02d", i), 0, 100); code != 200 {
			t.Fatalf("pre-fill batch: %d", code)
		}
	}
	waitStatus(t, []*server{s}, "pre-fill sessions sealed", 20*time.Second, func(st statusReply) bool {
		return st.SealedArchives >= 3 && st.PendingUploads == 0
	})
	stopServer(t, s, syscall.SIGTERM)

	s = start(t, dir, addr, args("1h")...)
	filler := fillDisk(t, data, 1<<20)
	full := 0
	for i := 0; full == 0 && i < 400; i++ {
		code, retry := post(s.url, fmt.Sprintf("s_diskfill%03d", i/4), i%4, 20<<10)
		switch {
		case code == http.StatusOK:
		case code == http.StatusInsufficientStorage || code == http.StatusServiceUnavailable:
			if retry == "" {
				t.Fatalf("%d without Retry-After", code)
			}
			full = code
		default:
			t.Fatalf("batch %d while filling: status %d, want 200 or a retryable 507/503", i, code)
		}
	}
	if full == 0 {
		t.Fatal("the disk never filled")
	}
	for i := range 40 {
		if code, _ := post(s.url, fmt.Sprintf("s_diskfull%03d", i), 0, 20<<10); code == http.StatusOK {
			continue
		}
	}
	if n := strings.Count(s.logs.String(), "batch not stored"); n > 3 {
		t.Errorf("%d error lines for refused batches within a second, want them rate-limited", n)
	}

	// Killed and restarted while the disk is full.
	stopServer(t, s, syscall.SIGKILL)
	s = start(t, dir, addr, args("300ms")...)
	// It drains by itself: sealed sessions upload from their logs and
	// free room, and new batches are taken again.
	deadline := time.Now().Add(60 * time.Second)
	for i := 0; ; i++ {
		if code, _ := post(s.url, fmt.Sprintf("s_diskdrain%03d", i), 0, 100); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the collector did not free room by itself within 60 s\n%s", s.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	os.Remove(filler)
	for i := range 5 {
		if code, _ := post(s.url, fmt.Sprintf("s_diskafter%02d", i), 0, 1000); code != http.StatusOK {
			t.Fatalf("batch after the room came back: %d", code)
		}
	}
	stopServer(t, s, syscall.SIGTERM)

	found, _, _ := readProbes(t, filepath.Join(dir, "archives"))
	for id := range acked {
		if found[id] != 1 {
			t.Errorf("acknowledged batch %s stored %d times, want once", id, found[id])
		}
	}
	t.Logf("full disk: %d batches acknowledged, first refusal %d", len(acked), full)
	if testing.Verbose() {
		t.Logf("last run:\n%s", s.logs)
	}
}

// stopServer signals the collector and waits for it to exit.
func stopServer(t *testing.T, s *server, sig syscall.Signal) {
	t.Helper()
	s.cmd.Process.Signal(sig)
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("collector did not exit after %v\n%s", sig, s.logs)
	}
}
