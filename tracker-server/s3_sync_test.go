package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

// syncReport is the part of `loupe sync --json` this test reads.
type syncReport struct {
	Listed      int    `json:"listed"`
	Imported    int    `json:"imported"`
	Merged      int    `json:"merged"`
	Skipped     int    `json:"skipped"`
	Quarantined int    `json:"quarantined"`
	Events      int    `json:"events"`
	Cursor      string `json:"cursor"`
	Problems    []struct {
		Key    string `json:"key"`
		Reason string `json:"reason"`
	} `json:"problems"`
}

// buildLoupe builds the real loupe command from the repository root.
func buildLoupe(dir string) (string, error) {
	bin := filepath.Join(dir, "loupe")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build loupe: %v\n%s", err, out)
	}
	return bin, nil
}

// runLoupe runs the loupe binary with only the given AWS keys in its
// environment and returns its stdout.
func runLoupe(t *testing.T, bin string, keys miniotest.Keys, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_ACCESS_KEY_ID="+keys.AccessKey, "AWS_SECRET_ACCESS_KEY="+keys.SecretKey,
		"AWS_SESSION_TOKEN="+keys.SessionToken)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("loupe %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.Bytes()
}

// assumeRole gets temporary keys for policy, retrying while MinIO is live
// but its IAM subsystem is still starting ("Server not initialized"):
// miniotest waits for /minio/health/live only.
func assumeRole(t *testing.T, srv *miniotest.Server, policy string) miniotest.Keys {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		keys, err := srv.AssumeRole(policy)
		if err == nil {
			return keys
		}
		if !strings.Contains(err.Error(), "not initialized") || time.Now().After(deadline) {
			t.Fatalf("assume role: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// routeByHash is the balancer's rule: a session always goes to the same
// collector.
func routeByHash(session string, collectors int) int {
	h := fnv.New32a()
	h.Write([]byte(session))
	return int(h.Sum32() % uint32(collectors))
}

// TestSyncFromBucketAfterTwoCollectors runs two collectors with write-only
// keys on one MinIO bucket, sessions routed by a hash of their id and one
// session split over both on purpose. Collector 0 is SIGKILLed mid-load
// and restarted; MinIO is stopped while sessions seal and restarted. Then
// the real loupe binary syncs the bucket with read-only keys: every
// session once, with every acknowledged event, the split one merged in
// order, and a second sync imports nothing.
func TestSyncFromBucketAfterTwoCollectors(t *testing.T) {
	began := time.Now()
	type built struct {
		bin string
		err error
	}
	buildc := make(chan built, 1)
	go func() { // build while the load runs
		bin, err := buildLoupe(t.TempDir())
		buildc <- built{bin, err}
	}()

	const bucket, prefix = "scale", "archives"
	minio := miniotest.Start(t)
	minio.MakeBucket(t, bucket)
	t.Logf("%v: minio up", time.Since(began).Round(time.Millisecond))
	writeOnly := assumeRole(t, minio, miniotest.WriteOnlyPolicy(bucket, prefix+"/"))
	readOnly := assumeRole(t, minio, miniotest.ReadOnlyPolicy(bucket, prefix+"/"))
	t.Setenv("AWS_ACCESS_KEY_ID", writeOnly.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", writeOnly.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", writeOnly.SessionToken)
	storeURL := minio.StoreURL(bucket, prefix)
	dir := t.TempDir()
	args := func(data string) []string {
		return []string{"--data", data, "--store", storeURL, "--seal-after", "1s"}
	}
	addrs := []string{"127.0.0.1:18800", "127.0.0.1:18801"}
	servers := []*server{start(t, dir, addrs[0], args("a")...), start(t, dir, addrs[1], args("b")...)}
	t.Logf("%v: collectors up", time.Since(began).Round(time.Millisecond))

	const nSessions, perSession, eventsPer = 100, 10, 5
	const split = "s_splitboth"
	sessions := []string{split}
	for i := 0; i < nSessions; i++ {
		sessions = append(sessions, fmt.Sprintf("s_scale%03d", i))
	}
	route := func(session string, seq int) int {
		if session == split {
			return seq % 2 // batches deliberately on both collectors
		}
		return routeByHash(session, len(addrs))
	}
	perCollector := make([]int, len(addrs))
	for _, id := range sessions[1:] {
		perCollector[route(id, 0)]++
	}
	if perCollector[0] == 0 || perCollector[1] == 0 {
		t.Fatalf("hash routing put %v sessions on the collectors, want some on each", perCollector)
	}

	var mu sync.Mutex
	acked := map[string]int{}
	ackedTotal, retries := 0, 0
	half := make(chan struct{})
	var halfOnce sync.Once
	client := &http.Client{Timeout: 5 * time.Second}
	var wg sync.WaitGroup
	for _, id := range sessions {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			for seq := 0; seq < perSession; seq++ {
				body := batchBody(id, seq, eventsPer, seq%2 == 1)
				deadline := time.Now().Add(30 * time.Second)
				for {
					if ok, _ := postBatch(client, "http://"+addrs[route(id, seq)], body); ok {
						break
					}
					if time.Now().After(deadline) {
						t.Errorf("%s seq %d never acknowledged", id, seq)
						return
					}
					mu.Lock()
					retries++
					mu.Unlock()
					time.Sleep(50 * time.Millisecond) // the tracker's retry, shortened
				}
				mu.Lock()
				acked[id]++
				ackedTotal++
				if ackedTotal >= len(sessions)*perSession/2 {
					halfOnce.Do(func() { close(half) })
				}
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		}(id)
	}
	// SIGKILL collector 0 with half the batches acknowledged and the other
	// senders mid-request, then bring it back on the same data.
	<-half
	servers[0].cmd.Process.Signal(syscall.SIGKILL)
	<-servers[0].done
	servers[0] = start(t, dir, addrs[0], args("a")...)
	t.Logf("%v: collector 0 restarted", time.Since(began).Round(time.Millisecond))
	wg.Wait()
	if t.Failed() {
		return
	}
	loadDone := time.Now()
	if retries == 0 {
		t.Error("no batch needed a retry: the SIGKILL did not land mid-load")
	}
	t.Logf("%v: load done", time.Since(began).Round(time.Millisecond))

	// Store outage while the sessions seal: uploads fail and queue.
	if err := minio.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v: minio stopped", time.Since(began).Round(time.Millisecond))
	// Not every session need be sealed yet: during an outage a collector
	// seals its due sessions one upload attempt at a time.
	waitStatus(t, servers, "uploads to fail while MinIO is down", 30*time.Second, func(st statusReply) bool {
		return st.PendingUploads > 0 && st.UploadErrors > 0
	})
	if err := minio.Restart(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v: minio restarted", time.Since(began).Round(time.Millisecond))
	waitStatus(t, servers, "queued archives to upload after MinIO is back", 30*time.Second, func(st statusReply) bool {
		return st.OpenSessions == 0 && st.PendingUploads == 0
	})
	t.Logf("%v: uploads drained", time.Since(began).Round(time.Millisecond))
	for i, s := range servers {
		s.cmd.Process.Signal(syscall.SIGTERM)
		if err := <-s.done; err != nil {
			t.Errorf("collector %d exit: %v\n%s", i, err, s.logs)
		}
	}
	sealed := time.Now()

	// What the bucket holds, listed with the analyst's read-only keys.
	ro, err := s3.OpenWith(context.Background(), storeURL, s3.Config{AccessKey: readOnly.AccessKey,
		SecretKey: readOnly.SecretKey, SessionToken: readOnly.SessionToken})
	if err != nil {
		t.Fatalf("open the bucket with read-only keys: %v", err)
	}
	entries, err := ro.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	splitCollectors := map[string]bool{}
	for _, e := range entries {
		if rest, ok := strings.CutSuffix(path.Base(e.Key), "-"+split+archive.KeySuffix); ok {
			_, coll, _ := strings.Cut(rest, "Z-")
			splitCollectors[coll] = true
		}
	}
	if len(splitCollectors) != 2 {
		t.Errorf("%s archived by collectors %v, want two (one part on each)", split, splitCollectors)
	}

	b := <-buildc
	if b.err != nil {
		t.Fatal(b.err)
	}
	ws := filepath.Join(t.TempDir(), "workspace.db")
	syncStart := time.Now()
	var rep syncReport
	out := runLoupe(t, b.bin, readOnly, "sync", "--workspace", ws, "--from", storeURL, "--json")
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("sync report: %v: %s", err, out)
	}
	syncTook := time.Since(syncStart)
	wantEvents := 0
	for _, n := range acked {
		wantEvents += n * eventsPer
	}
	if rep.Listed != len(entries) || rep.Imported != len(entries) || rep.Skipped != 0 || rep.Quarantined != 0 || rep.Events != wantEvents {
		t.Errorf("first sync: listed=%d imported=%d skipped=%d quarantined=%d events=%d (problems %v), want %d, %d, 0, 0, %d events",
			rep.Listed, rep.Imported, rep.Skipped, rep.Quarantined, rep.Events, rep.Problems, len(entries), len(entries), wantEvents)
	}
	if want := len(entries) - len(sessions); rep.Merged != want {
		t.Errorf("first sync merged %d parts, want %d (%d archives for %d sessions)", rep.Merged, want, len(entries), len(sessions))
	}

	var got []core.Session
	out = runLoupe(t, b.bin, readOnly, "sessions", "--workspace", ws, "--json")
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("sessions: %v: %s", err, out)
	}
	seen := map[string]int{}
	for _, s := range got {
		seen[s.ID]++
		if want := acked[s.ID] * eventsPer; s.Events != want {
			t.Errorf("session %s: %d events, want %d (%d acknowledged batches)", s.ID, s.Events, want, acked[s.ID])
		}
	}
	for _, id := range sessions {
		if seen[id] != 1 {
			t.Errorf("session %s listed %d times, want once", id, seen[id])
		}
	}
	if len(got) != len(sessions) {
		t.Errorf("%d sessions in the workspace, want %d", len(got), len(sessions))
	}

	// The split session, exported from the workspace: every event of
	// both parts, once, in order.
	exported := filepath.Join(t.TempDir(), split+archive.KeySuffix)
	runLoupe(t, b.bin, readOnly, "export", "--workspace", ws, "--session", split, "--out", exported)
	f, err := os.Open(exported)
	if err != nil {
		t.Fatal(err)
	}
	_, evs, err := archive.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatalf("exported %s: %v", split, err)
	}
	var gotTS, wantTS []int64
	for _, e := range evs {
		gotTS = append(gotTS, e.Timestamp)
	}
	for seq := 0; seq < perSession; seq++ {
		for i := 0; i < eventsPer; i++ {
			wantTS = append(wantTS, 1764195600000+int64(seq)*1000+int64(i))
		}
	}
	if !slices.Equal(gotTS, wantTS) {
		t.Errorf("%s merged timestamps:\n got %v\nwant %v", split, gotTS, wantTS)
	}

	var again syncReport
	out = runLoupe(t, b.bin, readOnly, "sync", "--workspace", ws, "--from", storeURL, "--json")
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("second sync report: %v: %s", err, out)
	}
	if again.Listed != 0 || again.Imported != 0 || again.Merged != 0 || again.Quarantined != 0 {
		t.Errorf("second sync: %+v, want nothing listed or imported", again)
	}
	if again.Cursor != entries[len(entries)-1].Key {
		t.Errorf("cursor after the second sync = %q, want the last key %q", again.Cursor, entries[len(entries)-1].Key)
	}
	t.Logf("%d sessions (%d/%d by hash, 1 split), %d batches (%d retried posts), %d events acknowledged; %d archives; load %v, seal+outage %v, sync %v (imported %d, merged %d); total %v",
		len(sessions), perCollector[0], perCollector[1], ackedTotal, retries, wantEvents, len(entries),
		loadDone.Sub(began).Round(time.Millisecond), sealed.Sub(loadDone).Round(time.Millisecond),
		syncTook.Round(time.Millisecond), rep.Imported, rep.Merged, time.Since(began).Round(time.Millisecond))
}
