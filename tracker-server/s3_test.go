package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

// TestTwoCollectorsOnMinIO runs two collector processes on one MinIO
// bucket. Sessions are routed to one collector by id, except one whose
// batches alternate between both. One collector is SIGKILLed mid-load and
// restarted, and MinIO is stopped while sessions seal. Every batch ends up
// acknowledged (clients retry, as the tracker does), and every event must
// be in exactly one archive, with keys that name their collector.
func TestTwoCollectorsOnMinIO(t *testing.T) {
	minio := miniotest.Start(t)
	minio.MakeBucket(t, "loupe")
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("AWS_SESSION_TOKEN", "")
	storeURL := minio.StoreURL("loupe", "archives")
	dir := t.TempDir()
	args := func(data string) []string {
		return []string{"--data", data, "--store", storeURL, "--seal-after", "1s"}
	}
	addrs := []string{"127.0.0.1:18210", "127.0.0.1:18211"}
	servers := []*server{start(t, dir, addrs[0], args("a")...), start(t, dir, addrs[1], args("b")...)}
	var srvMu sync.Mutex
	current := func(i int) *server { srvMu.Lock(); defer srvMu.Unlock(); return servers[i] }

	const perSession, eventsPer = 24, 4
	sessions := []string{"s_twocoll00", "s_twocoll01", "s_twocoll02", "s_twocoll03", "s_splitsess"}
	route := func(session string, seq int) int {
		if session == "s_splitsess" {
			return seq % 2
		}
		return int(session[len(session)-1]-'0') % 2
	}
	client := &http.Client{Timeout: 5 * time.Second}
	var wg sync.WaitGroup
	for _, id := range sessions {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			for seq := 0; seq < perSession; seq++ {
				body := batchBody(id, seq, eventsPer, seq%3 == 0)
				deadline := time.Now().Add(30 * time.Second)
				for {
					ok, _ := postBatch(client, "http://"+addrs[route(id, seq)], body)
					if ok {
						break
					}
					if time.Now().After(deadline) {
						t.Errorf("%s seq %d never acknowledged", id, seq)
						return
					}
					time.Sleep(50 * time.Millisecond) // the tracker's retry, shortened
				}
				time.Sleep(5 * time.Millisecond)
			}
		}(id)
	}
	// Kill collector 0 mid-load, then bring it back on the same data.
	time.Sleep(150 * time.Millisecond)
	first := current(0)
	first.cmd.Process.Signal(syscall.SIGKILL)
	<-first.done
	restarted := start(t, dir, addrs[0], args("a")...)
	srvMu.Lock()
	servers[0] = restarted
	srvMu.Unlock()
	wg.Wait()
	if t.Failed() {
		return
	}

	// Store outage while the sessions seal: uploads fail and queue.
	if err := minio.Stop(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, servers, "uploads to fail while MinIO is down", 60*time.Second, func(st statusReply) bool {
		return st.OpenSessions == 0 && st.PendingUploads > 0 && st.UploadErrors > 0
	})
	if err := minio.Restart(); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, servers, "queued archives to upload after MinIO is back", 60*time.Second, func(st statusReply) bool {
		return st.OpenSessions == 0 && st.PendingUploads == 0
	})

	store, err := s3.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := store.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[int64]int{}
	collectorsOf := map[string]map[string]bool{}
	for _, e := range entries {
		rc, err := store.Open(context.Background(), e.Key)
		if err != nil {
			t.Fatal(err)
		}
		h, evs, err := archive.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("archive %s: %v", e.Key, err)
		}
		if !strings.Contains(e.Key, "-"+h.Collector+"-"+h.Session+".loupe") {
			t.Errorf("key %s does not name collector %s and session %s", e.Key, h.Collector, h.Session)
		}
		if got[h.Session] == nil {
			got[h.Session], collectorsOf[h.Session] = map[int64]int{}, map[string]bool{}
		}
		collectorsOf[h.Session][h.Collector] = true
		for _, ev := range evs {
			got[h.Session][ev.Timestamp]++
		}
	}
	for _, id := range sessions {
		for seq := 0; seq < perSession; seq++ {
			for i := 0; i < eventsPer; i++ {
				if n := got[id][1764195600000+int64(seq)*1000+int64(i)]; n != 1 {
					t.Errorf("%s seq %d event %d: in %d archives, want exactly 1", id, seq, i, n)
				}
			}
		}
	}
	if n := len(collectorsOf["s_splitsess"]); n != 2 {
		t.Errorf("split session archived by %d collectors, want 2 (one part each)", n)
	}
	for i, s := range servers {
		s.cmd.Process.Signal(syscall.SIGTERM)
		if err := <-s.done; err != nil {
			t.Errorf("collector %d exit: %v\n%s", i, err, s.logs)
		}
	}
}

// waitStatus polls every server's /v1/status until cond holds for all.
func waitStatus(t *testing.T, servers []*server, what string, limit time.Duration, cond func(statusReply) bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		all := true
		var last []statusReply
		for _, s := range servers {
			var st statusReply
			getJSON(t, s.url+"/v1/status", s.token, &st)
			last = append(last, st)
			all = all && cond(st)
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			var logs []string
			for _, s := range servers {
				logs = append(logs, s.logs.String())
			}
			t.Fatalf("timed out waiting for %s: %+v\n%s", what, last, strings.Join(logs, "\n---\n"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
