package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// The fault campaign runs the real tracker-server under load from many
// clients and kills it with SIGKILL at random moments, restarting it on
// the same data directory each time. Clients behave like the tracker: a
// batch is retried until it is acknowledged. Every batch carries a probe
// event with a unique id, so that at the end, once the collector has
// sealed and stored everything, the store can be checked: every
// acknowledged batch present exactly once, every archive readable.
//
// LOUPE_FAULT_KILLS sets the number of kills (default 50, 10 with -short);
// `make fault-campaign` runs 500. LOUPE_FAULT_REPORT names a file to which
// the figures are written as JSON.

// recoveredOpen finds the number of open logs a start recovered.
var recoveredOpen = regexp.MustCompile(`recovered session logs"? open=(\d+)`)

// probeEvent is the custom event (rrweb type 5) that identifies a batch.
func probeEvent(id string, ts int64) string {
	return fmt.Sprintf(`{"type":5,"timestamp":%d,"data":{"tag":"loupe-probe","payload":{"id":%q}}}`, ts, id)
}

// probeBatch is a batch of a few ordinary events and one probe.
func probeBatch(session string, seq int) []byte {
	ts := 1764195600000 + int64(seq)*1000
	evs := []string{}
	if seq == 0 {
		evs = append(evs, fmt.Sprintf(`{"type":4,"data":{"href":"http://localhost:3000/","width":800,"height":600},"timestamp":%d}`, ts))
	}
	for i := range 3 {
		evs = append(evs, fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":2,"id":1,"timeOffset":0}]},"timestamp":%d}`, i, ts+int64(i)+1))
	}
	evs = append(evs, probeEvent(fmt.Sprintf("%s/%d", session, seq), ts+10))
	return []byte(fmt.Sprintf(`{"site":"demo","session":%q,"visitor":"v_visitor1","seq":%d,"sent_at":1,"tracker":"0.1.0","events":[%s]}`,
		session, seq, strings.Join(evs, ",")))
}

// campaignReport is what a campaign measured.
type campaignReport struct {
	Kills           int     `json:"kills"`
	Clients         int     `json:"clients"`
	AckedBatches    int     `json:"acked_batches"`
	Sessions        int     `json:"sessions"`
	Archives        int     `json:"archives"`
	ProbesFound     int     `json:"probes_found"`
	MaxOpenAtStart  int     `json:"max_open_logs_at_restart"`
	RecoveryP50Ms   float64 `json:"recovery_p50_ms"`
	RecoveryP95Ms   float64 `json:"recovery_p95_ms"`
	RecoveryMaxMs   float64 `json:"recovery_max_ms"`
	DrainSeconds    float64 `json:"drain_seconds"` // after the last kill, until all was stored
	DurationSeconds float64 `json:"duration_seconds"`
}

func TestFaultCampaignKill9(t *testing.T) {
	kills := 50
	if testing.Short() {
		kills = 10
	}
	if s := os.Getenv("LOUPE_FAULT_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("LOUPE_FAULT_KILLS=%q: want a positive number", s)
		}
		kills = n
	}
	const clients = 16
	began := time.Now()
	dir := t.TempDir()
	const addr = "127.0.0.1:18220"
	args := []string{"--data", "data", "--seal-after", "300ms"}
	var cur atomic.Pointer[server]
	cur.Store(start(t, dir, addr, args...))
	url := cur.Load().url

	var mu sync.Mutex
	acked := map[string]bool{} // "session/seq"
	sessions := map[string]bool{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("s_fc%02d_%05d", c, n)
				mu.Lock()
				sessions[id] = true
				mu.Unlock()
				for seq := range 3 + rng.IntN(6) {
					body := probeBatch(id, seq)
					for {
						if ok, _ := postBatch(client, url, body); ok {
							break
						}
						time.Sleep(20 * time.Millisecond) // down: retry as the tracker would
					}
					mu.Lock()
					acked[fmt.Sprintf("%s/%d", id, seq)] = true
					mu.Unlock()
				}
			}
		}()
	}

	var recoveries []time.Duration
	maxOpen := 0
	rng := rand.New(rand.NewPCG(42, 1))
	for range kills {
		time.Sleep(time.Duration(20+rng.IntN(280)) * time.Millisecond)
		s := cur.Load()
		if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill: %v", err)
		}
		<-s.done
		restarted := time.Now()
		next := start(t, dir, addr, args...)
		recoveries = append(recoveries, time.Since(restarted))
		if m := recoveredOpen.FindStringSubmatch(next.logs.String()); m != nil {
			n, _ := strconv.Atoi(m[1])
			maxOpen = max(maxOpen, n)
		}
		cur.Store(next)
	}
	close(stop)
	wg.Wait()

	// The collector catches up with what the kills left, then a graceful
	// stop seals whatever is still open and stores it.
	last := cur.Load()
	drainBegan := time.Now()
	waitStatus(t, []*server{last}, "backlog sealed and stored", 15*time.Minute, func(st statusReply) bool {
		return st.OpenSessions == 0 && st.PendingUploads == 0
	})
	drain := time.Since(drainBegan)
	last.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-last.done:
		if err != nil {
			t.Fatalf("final stop: %v\n%s", err, last.logs)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("collector did not stop within 60 s\n%s", last.logs)
	}
	for _, sub := range []string{"open", "sealing"} {
		left, _ := filepath.Glob(filepath.Join(dir, "data", sub, "*.l*"))
		if len(left) > 0 {
			t.Errorf("after a graceful stop %s/ still holds %d files, e.g. %s", sub, len(left), left[0])
		}
	}

	found, parts, archives := readProbes(t, filepath.Join(dir, "data", "archives"))
	for id, n := range found {
		if n > 1 {
			t.Errorf("batch %s stored %d times", id, n)
		}
	}
	missing := 0
	for id := range acked {
		if found[id] == 0 {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged batch %s is in no archive", id)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged batches missing", missing, len(acked))
	}
	for key, n := range parts {
		if n > 1 {
			t.Errorf("session part %s stored in %d archives", key, n)
		}
	}

	slices.Sort(recoveries)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	rep := campaignReport{
		Kills: kills, Clients: clients, AckedBatches: len(acked), Sessions: len(sessions),
		Archives: archives, ProbesFound: len(found), MaxOpenAtStart: maxOpen,
		RecoveryP50Ms:   ms(recoveries[len(recoveries)/2]),
		RecoveryP95Ms:   ms(recoveries[len(recoveries)*95/100]),
		RecoveryMaxMs:   ms(recoveries[len(recoveries)-1]),
		DrainSeconds:    drain.Seconds(),
		DurationSeconds: time.Since(began).Seconds(),
	}
	js, _ := json.MarshalIndent(rep, "", "  ")
	t.Logf("fault campaign: %s", js)
	if p := os.Getenv("LOUPE_FAULT_REPORT"); p != "" {
		if err := os.WriteFile(p, append(js, '\n'), 0o644); err != nil {
			t.Errorf("write report: %v", err)
		}
	}
	if len(acked) < kills {
		t.Errorf("only %d batches acknowledged over %d kills: the load did not run", len(acked), kills)
	}
}

// readProbes reads every archive of a file store with core/archive and
// counts each probe id and each (session, part). An unreadable archive
// fails the test.
func readProbes(t *testing.T, root string) (probes map[string]int, parts map[string]int, archives int) {
	t.Helper()
	probes, parts = map[string]int{}, map[string]int{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !strings.HasSuffix(d.Name(), ".loupe") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h, evs, err := archive.ReadAll(f)
		if err != nil {
			t.Errorf("archive %s: %v", p, err)
			return nil
		}
		archives++
		parts[fmt.Sprintf("%s.%d", h.Session, h.Part)]++
		for _, ev := range evs {
			if ev.Type != 5 {
				continue
			}
			var d struct {
				Tag     string `json:"tag"`
				Payload struct {
					ID string `json:"id"`
				} `json:"payload"`
			}
			if json.Unmarshal(ev.Data, &d) == nil && d.Tag == "loupe-probe" {
				probes[d.Payload.ID]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read store %s: %v", root, err)
	}
	return probes, parts, archives
}
