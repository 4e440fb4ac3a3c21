package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

type result struct {
	store                      string
	collectors                 int
	opts                       options
	elapsed, p50, p99, maxLat  time.Duration
	drain                      time.Duration
	archives, eventsInArchives int
}

func (r result) row() string {
	secs := r.elapsed.Seconds()
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %.0f | %.0f | %s | %s | %s | %s | %d | %d |",
		r.store, r.collectors, r.opts.batches, r.opts.batches*r.opts.events, r.opts.clients,
		float64(r.opts.batches)/secs, float64(r.opts.batches*r.opts.events)/secs,
		ms(r.p50), ms(r.p99), ms(r.maxLat), r.drain.Round(10*time.Millisecond), r.archives, r.eventsInArchives)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// collectorProc is one running tracker-server.
type collectorProc struct {
	addr string
	cmd  *exec.Cmd
	done chan error
	log  *os.File
}

func runOnce(opts options, work, store string, n int, target storeTarget) (result, error) {
	res := result{store: store, collectors: n, opts: opts}
	procs, err := startCollectors(opts, filepath.Join(work, fmt.Sprintf("%s-%d", store, n)), n, target)
	defer func() {
		for _, p := range procs {
			if p.cmd.ProcessState == nil {
				p.cmd.Process.Kill()
			}
		}
	}()
	if err != nil {
		return res, err
	}
	bodies, perSession := makeBodies(opts)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: opts.clients}, Timeout: 30 * time.Second}
	lat := make([]time.Duration, opts.batches)
	errs := make(chan error, opts.clients)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < opts.clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				p := procs[route(bodies[k].session, n)]
				t0 := time.Now()
				if err := post(client, p.addr, bodies[k].body); err != nil {
					errs <- fmt.Errorf("batch %d: %w", k, err)
					return
				}
				lat[k] = time.Since(t0)
			}
		}()
	}
	var sendErr error
feed:
	for k := range bodies {
		select {
		case next <- k:
		case sendErr = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if sendErr == nil {
		select {
		case sendErr = <-errs:
		default:
		}
	}
	if sendErr != nil {
		return res, sendErr
	}
	res.elapsed = time.Since(start)
	slices.Sort(lat)
	res.p50, res.p99, res.maxLat = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]

	// A graceful stop seals every open session and uploads it.
	t0 := time.Now()
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range procs {
		select {
		case <-p.done:
		case <-time.After(2 * time.Minute):
			return res, fmt.Errorf("collector %s did not stop within 2 min; log %s", p.addr, p.log.Name())
		}
	}
	res.drain = time.Since(t0)

	res.archives, res.eventsInArchives, err = verify(target, opts, perSession)
	return res, err
}

func startCollectors(opts options, dir string, n int, target storeTarget) ([]*collectorProc, error) {
	var procs []*collectorProc
	for i := 0; i < n; i++ {
		addr, err := freeAddr()
		if err != nil {
			return procs, err
		}
		data := filepath.Join(dir, "c"+strconv.Itoa(i))
		if err := os.MkdirAll(data, 0o700); err != nil {
			return procs, err
		}
		logf, err := os.Create(data + ".log")
		if err != nil {
			return procs, err
		}
		cmd := exec.Command(opts.server, "--addr", addr, "--data", data, "--store", target.url, "--seal-after", "10m")
		cmd.Env = append(os.Environ(), target.env...)
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			return procs, err
		}
		p := &collectorProc{addr: addr, cmd: cmd, done: make(chan error, 1), log: logf}
		go func() { p.done <- cmd.Wait() }()
		procs = append(procs, p)
		if err := waitHealthy(p); err != nil {
			return procs, err
		}
	}
	return procs, nil
}

// freeAddr picks a free loopback port in the upper half of this package's
// range (MinIO takes any in the range, so check each).
func freeAddr() (string, error) {
	for p := miniotest.LastPort; p > (miniotest.FirstPort+miniotest.LastPort)/2; p-- {
		addr := "127.0.0.1:" + strconv.Itoa(p)
		if l, err := net.Listen("tcp", addr); err == nil {
			l.Close()
			if !inUse[addr] {
				inUse[addr] = true
				return addr, nil
			}
		}
	}
	return "", fmt.Errorf("no free port")
}

var inUse = map[string]bool{}

func waitHealthy(p *collectorProc) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			return fmt.Errorf("collector %s exited at start (%v); log %s", p.addr, err, p.log.Name())
		default:
		}
		if resp, err := http.Get("http://" + p.addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("collector %s not healthy after 20 s; log %s", p.addr, p.log.Name())
}

// route picks a collector by the session id, as `hash $arg_s consistent`
// does at the load balancer.
func route(session string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(session))
	return int(h.Sum32() % uint32(n))
}

func post(c *http.Client, addr string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/ingest", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Origin", "http://localhost:8080")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(`"ok":true`)) {
		return fmt.Errorf("ingest: %d %s", resp.StatusCode, b)
	}
	return nil
}

type batch struct {
	session string
	body    []byte
}

// makeBodies builds every request before the clock starts (see
// generate.IngestBatches) and counts the events each session gets.
func makeBodies(opts options) ([]batch, map[string]int) {
	batches, err := generate.IngestBatches(generate.BatchOptions{Batches: opts.batches, Sessions: opts.sessions,
		Events: opts.events, Name: "load", Origin: "http://localhost:8080"})
	if err != nil {
		panic(err) // plain maps of strings and numbers always encode
	}
	out := make([]batch, len(batches))
	perSession := map[string]int{}
	for k, b := range batches {
		out[k] = batch{session: b.Session, body: b.Body}
		perSession[b.Session] += b.Events
	}
	return out, perSession
}

// verify reads every archive back and checks that each session's events
// are all there, once.
func verify(target storeTarget, opts options, want map[string]int) (archives, events int, err error) {
	st, err := target.open()
	if err != nil {
		return 0, 0, err
	}
	ctx := context.Background()
	got := map[string]int{}
	cursor := ""
	for {
		page, err := st.List(ctx, cursor, 1000)
		if err != nil {
			return 0, 0, err
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			rc, err := st.Open(ctx, e.Key)
			if err != nil {
				return 0, 0, err
			}
			h, evs, err := archive.ReadAll(rc)
			rc.Close()
			if err != nil {
				return 0, 0, fmt.Errorf("archive %s: %w", e.Key, err)
			}
			got[h.Session] += len(evs)
			events += len(evs)
			archives++
		}
		cursor = page[len(page)-1].Key
	}
	for s, n := range want {
		if got[s] != n {
			return archives, events, fmt.Errorf("session %s: %d events in archives, %d acknowledged", s, got[s], n)
		}
	}
	if len(got) != len(want) {
		return archives, events, fmt.Errorf("%d sessions in archives, %d sent", len(got), len(want))
	}
	return archives, events, nil
}
