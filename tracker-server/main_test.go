package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// buildBinary builds the real tracker-server once per test run.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tracker-server-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "tracker-server")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.path != "" {
		os.RemoveAll(filepath.Dir(buildOnce.path))
	}
	os.Exit(code)
}

// server is a running tracker-server process.
type server struct {
	cmd   *exec.Cmd
	url   string
	token string
	done  chan error
	logs  *bytes.Buffer
}

// start runs the binary in dir and waits until it prints its token and
// answers /healthz.
func start(t *testing.T, dir, addr string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--addr", addr}, args...)...)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cmd.Stderr = &lockedWriter{w: logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, url: "http://" + addr, done: make(chan error, 1), logs: logs}
	tokenc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if tok, ok := strings.CutPrefix(sc.Text(), "analyst token: "); ok {
				tokenc <- tok
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	select {
	case s.token = <-tokenc:
	case err := <-s.done:
		t.Fatalf("tracker-server exited at start: %v\n%s", err, logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("tracker-server printed no token\n%s", logs)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("tracker-server not healthy: %v\n%s", err, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// batchBody is one tracker batch; event timestamps encode (seq, index).
func batchBody(session string, seq, events int, gz bool) []byte {
	var evs []string
	for i := 0; i < events; i++ {
		ts := 1764195600000 + int64(seq)*1000 + int64(i)
		if seq == 0 && i == 0 {
			evs = append(evs, fmt.Sprintf(`{"type":4,"data":{"href":"http://localhost:3000/","width":800,"height":600},"timestamp":%d}`, ts))
			continue
		}
		evs = append(evs, fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":2,"id":1,"timeOffset":0}]},"timestamp":%d}`, i, ts))
	}
	body := []byte(fmt.Sprintf(`{"site":"demo","session":%q,"visitor":"v_visitor1","seq":%d,"sent_at":1,"tracker":"0.1.0","events":[%s]}`,
		session, seq, strings.Join(evs, ",")))
	if !gz {
		return body
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(body)
	zw.Close()
	return buf.Bytes()
}

// postBatch posts a batch and reports whether it was acknowledged.
func postBatch(client *http.Client, url string, body []byte) (bool, error) {
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/ingest", bytes.NewReader(body))
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Content-Type", "text/plain")
	resp, err := client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var r struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return false, err
	}
	if resp.StatusCode != 200 || !r.OK {
		return false, fmt.Errorf("status %d: %s", resp.StatusCode, r.Error)
	}
	return true, nil
}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	body := getBytes(t, url, token)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
}

func getBytes(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v %s", url, resp.StatusCode, err, b)
	}
	return b
}

type statusReply struct {
	OpenSessions   int   `json:"open_sessions"`
	PendingUploads int   `json:"pending_uploads"`
	SealedArchives int64 `json:"sealed_archives"`
	UploadErrors   int64 `json:"upload_errors"`
}

// archivedEvents downloads every archive through the API and returns each
// session's event timestamps in archive order (parts in key order).
func archivedEvents(t *testing.T, s *server) map[string][]int64 {
	t.Helper()
	var lr struct {
		Archives []archive.Entry `json:"archives"`
	}
	getJSON(t, s.url+"/v1/archives?limit=1000", s.token, &lr)
	out := map[string][]int64{}
	for _, e := range lr.Archives {
		h, evs, err := archive.ReadAll(bytes.NewReader(getBytes(t, s.url+"/v1/archives/"+e.Key, s.token)))
		if err != nil {
			t.Fatalf("archive %s: %v", e.Key, err)
		}
		for _, ev := range evs {
			out[h.Session] = append(out[h.Session], ev.Timestamp)
		}
	}
	return out
}

func TestKillNineAfterAckLosesNothing(t *testing.T) {
	dir := t.TempDir()
	first := start(t, dir, "127.0.0.1:18201", "--data", "data", "--seal-after", "1h")

	const sessions, perSession, eventsPer = 6, 40, 5
	var mu sync.Mutex
	acked := map[string]map[int]bool{}
	stop := make(chan struct{})
	var kill sync.Once
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for s := 0; s < sessions; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			id := fmt.Sprintf("s_killnine%02d", s)
			for seq := 0; seq < perSession; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				ok, _ := postBatch(client, first.url, batchBody(id, seq, eventsPer, seq%2 == 1))
				if !ok {
					return // the process is gone
				}
				mu.Lock()
				if acked[id] == nil {
					acked[id] = map[int]bool{}
				}
				acked[id][seq] = true
				n := 0
				for _, m := range acked {
					n += len(m)
				}
				mu.Unlock()
				if n >= sessions*perSession/2 {
					// Kill while the other senders are mid-request.
					kill.Do(func() {
						first.cmd.Process.Signal(syscall.SIGKILL)
						close(stop)
					})
					return
				}
			}
		}(s)
	}
	wg.Wait()
	<-first.done

	second := start(t, dir, "127.0.0.1:18202", "--data", "data", "--seal-after", "200ms")
	deadline := time.Now().Add(20 * time.Second)
	for {
		var st statusReply
		getJSON(t, second.url+"/v1/status", second.token, &st)
		if st.OpenSessions == 0 && st.PendingUploads == 0 && st.SealedArchives > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sessions not sealed after restart: %+v\n%s", st, second.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	got := archivedEvents(t, second)
	for id, ts := range got {
		t.Logf("%s: %d events archived", id, len(ts))
	}
	total := 0
	for id, seqs := range acked {
		seen := map[int64]int{}
		for _, ts := range got[id] {
			seen[ts]++
		}
		for seq := range seqs {
			total++
			for i := 0; i < eventsPer; i++ {
				ts := 1764195600000 + int64(seq)*1000 + int64(i)
				if seen[ts] != 1 {
					t.Errorf("%s seq %d event %d: in the archives %d times, want once", id, seq, i, seen[ts])
				}
			}
		}
		for i := 1; i < len(got[id]); i++ {
			if got[id][i] <= got[id][i-1] {
				t.Errorf("%s: events out of order at %d", id, i)
				break
			}
		}
	}
	if total < sessions*perSession/2 {
		t.Fatalf("only %d acked batches checked", total)
	}
	second.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-second.done; err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, second.logs)
	}
}

func TestDefaultsAndGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, "127.0.0.1:18203")
	tokenFile := filepath.Join(dir, "loupe-data", "token")
	b, err := os.ReadFile(tokenFile)
	if err != nil || strings.TrimSpace(string(b)) != s.token {
		t.Fatalf("token file %s = %q (%v), want the printed token %q", tokenFile, b, err, s.token)
	}
	if st, _ := os.Stat(tokenFile); st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", st.Mode().Perm())
	}
	for seq := 0; seq < 3; seq++ {
		if ok, err := postBatch(http.DefaultClient, s.url, batchBody("s_graceful1", seq, 4, false)); !ok {
			t.Fatalf("post seq %d: %v", seq, err)
		}
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-s.done; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs)
	}
	// Shutdown sealed the open session into the default file store.
	var found []string
	filepath.WalkDir(filepath.Join(dir, "loupe-data", "archives"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".loupe") {
			found = append(found, p)
		}
		return nil
	})
	if len(found) != 1 {
		t.Fatalf("archives after shutdown: %v, want 1\n%s", found, s.logs)
	}
	f, err := os.Open(found[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, evs, err := archive.ReadAll(f)
	if err != nil || h.Session != "s_graceful1" || len(evs) != 12 {
		t.Errorf("archive: session %q, %d events, err %v; want s_graceful1 with 12", h.Session, len(evs), err)
	}
	// The token stays the same on the next start.
	again := start(t, dir, "127.0.0.1:18203")
	if again.token != s.token {
		t.Errorf("token changed across restarts: %q then %q", s.token, again.token)
	}
}

func TestBadFlagsExit(t *testing.T) {
	for _, args := range [][]string{
		{"--store", "ftp://x"},
		{"--sites", "/nonexistent/sites.json"},
		{"--seal-after", "soon"},
	} {
		cmd := exec.Command(binary(t), append([]string{"--addr", "127.0.0.1:18204", "--data", t.TempDir()}, args...)...)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "tracker-server") && !strings.Contains(string(out), "invalid") {
			t.Errorf("%v: err %v, output %q; want a failing exit with a message", args, err, out)
		}
	}
}
