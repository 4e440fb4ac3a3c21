package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/tracker-server/collector"
)

type options struct {
	batches, clients, sessions, events, rounds int
	plain, flushEachLog                        bool
	dir, only                                  string
	blockProfile, mutexProfile                 string
	profile                                    *os.File
}

// result is one timed pass of every batch through one handler.
type result struct {
	elapsed  time.Duration
	p50, p99 time.Duration
	cpu      time.Duration // CPU time of the whole process (server and clients) over the pass
	flush    collector.FlushStats
}

func (r result) rate(n int) float64 { return float64(n) / r.elapsed.Seconds() }

func run(opts options) error {
	reqs, err := makeRequests(opts)
	if err != nil {
		return err
	}
	var size int
	for _, r := range reqs {
		size += len(r.body)
	}
	enc := "gzip"
	if opts.plain {
		enc = "plain JSON"
	}
	fmt.Printf("%d batches of %d events per handler and round, %s, %d bytes per body on average; %d clients, %d sessions\n\n",
		opts.batches, opts.events, enc, size/len(reqs), opts.clients, opts.sessions)
	fmt.Println("| round | handler | batches/s | events/s | p50 ack | p99 ack | CPU µs/batch | flush rounds | batches/round | ms/round | wait ms |")
	fmt.Println("| --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |")
	var rates = map[string][]float64{}
	for round := 1; round <= opts.rounds; round++ {
		order := []string{"noop", "collector"}
		if round%2 == 0 {
			order = []string{"collector", "noop"}
		}
		for _, name := range order {
			if opts.only != "" && name != opts.only {
				continue
			}
			var res result
			if name == "noop" {
				res, err = serveAndDrive(noopHandler(), reqs, opts)
			} else {
				// Only the first collector round is profiled.
				res, err = runCollector(reqs, opts, opts.profile)
				opts.profile = nil
			}
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", round, name, err)
			}
			rate := res.rate(len(reqs))
			rates[name] = append(rates[name], rate)
			fmt.Printf("| %d | %s | %.0f | %.0f | %s | %s | %.0f | %s |\n", round, name, rate, rate*float64(opts.events),
				ms(res.p50), ms(res.p99), float64(res.cpu.Microseconds())/float64(len(reqs)), flushColumns(res.flush))
		}
	}
	if err := writeProfile("block", opts.blockProfile); err != nil {
		return err
	}
	if err := writeProfile("mutex", opts.mutexProfile); err != nil {
		return err
	}
	fmt.Println()
	col, noop := median(rates["collector"]), median(rates["noop"])
	if col > 0 {
		fmt.Printf("collector median: %.0f batches/s\n", col)
	}
	if noop > 0 {
		fmt.Printf("no-op median:     %.0f batches/s\n", noop)
	}
	if col > 0 && noop > 0 {
		fmt.Printf("ratio:            %.2f\n", col/noop)
	}
	return nil
}

// runCollector starts a collector on a fresh data directory, times the
// batches through it (under a CPU profile written to profile, if any),
// checks that it stored each one, and closes it.
func runCollector(reqs []request, opts options, profile *os.File) (result, error) {
	dir, err := os.MkdirTemp(opts.dir, "ingestbench-*")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	store, err := file.New(filepath.Join(dir, "archives"))
	if err != nil {
		return result{}, err
	}
	c, err := collector.New(collector.Config{
		DataDir: filepath.Join(dir, "data"), Store: store,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		FlushEachLog: opts.flushEachLog,
	})
	if err != nil {
		return result{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		c.Run(ctx)
	}()
	if profile != nil {
		if err := pprof.StartCPUProfile(profile); err != nil {
			return result{}, err
		}
	}
	before := c.Status().Flush
	res, err := serveAndDrive(c.Handler(), reqs, opts)
	if profile != nil {
		pprof.StopCPUProfile()
	}
	after := c.Status().Flush
	res.flush = collector.FlushStats{Rounds: after.Rounds - before.Rounds, Batches: after.Batches - before.Batches,
		Flushing: after.Flushing - before.Flushing, Waiting: after.Waiting - before.Waiting}
	cancel()
	<-runDone
	closeCtx, stop := context.WithTimeout(context.Background(), 2*time.Minute)
	defer stop()
	if cerr := c.Close(closeCtx); err == nil && cerr != nil {
		err = fmt.Errorf("close collector: %w", cerr)
	}
	if err == nil {
		if got := c.Status().Batches; got != int64(len(reqs)) {
			err = fmt.Errorf("collector stored %d batches, %d were acknowledged", got, len(reqs))
		}
	}
	return res, err
}

// serveAndDrive serves h on a loopback port with the server settings of
// tracker-server and posts every request through opts.clients keep-alive
// clients; client w posts requests w, w+clients, ... in order, so each
// session's seqs arrive in order as from one tracker.
func serveAndDrive(h http.Handler, reqs []request, opts options) (result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/v1/ingest?s="
	tr := &http.Transport{MaxIdleConnsPerHost: opts.clients, MaxConnsPerHost: opts.clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: time.Minute}

	lat := make([]time.Duration, len(reqs))
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	cpu0 := processCPU()
	start := time.Now()
	for w := 0; w < opts.clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(reqs) && failed.Load() == nil; k += opts.clients {
				t0 := time.Now()
				if err := post(client, url+reqs[k].session, reqs[k].body); err != nil {
					err = fmt.Errorf("batch %d: %w", k, err)
					failed.CompareAndSwap(nil, &err)
					return
				}
				lat[k] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	if p := failed.Load(); p != nil {
		return result{}, *p
	}
	slices.Sort(lat)
	return result{elapsed: elapsed, p50: lat[len(lat)/2], p99: lat[len(lat)*99/100], cpu: cpu}, nil
}

func post(client *http.Client, url string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", origin)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	reply, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(reply))
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// flushColumns are the flush round columns of the table: rounds, batches
// per round, mean time of a round and mean wait of a batch for its round
// to start; dashes for the no-op handler.
func flushColumns(f collector.FlushStats) string {
	if f.Rounds == 0 {
		return "– | – | – | –"
	}
	return fmt.Sprintf("%d | %.1f | %.2f | %.2f", f.Rounds, float64(f.Batches)/float64(f.Rounds),
		float64(f.Flushing.Microseconds())/1000/float64(f.Rounds), float64(f.Waiting.Microseconds())/1000/float64(f.Batches))
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeProfile writes the named runtime profile to path, if one is asked.
func writeProfile(name, path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
