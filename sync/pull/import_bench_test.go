package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/sync/source"
)

// The import benchmarks read b.N generated demo-shop sessions of one of
// three shapes from files and import them with every fact derived and
// the replay stored:
//
//   - tiny: a bounce, the first six events of a session (meta, full
//     snapshot, a few interactions);
//   - shop: a whole generated visit, ≈78 events;
//   - long: a visit followed by 30 minutes of mouse movement, scrolling
//     and clicks, ≈4,000 events and ≈1 MB of JSON.
//
// Run, e.g.
//
//	go test ./sync/pull -run '^$' -bench 'ImportExports|SyncFolder' -benchtime 5000x
//
// (the long shape caps itself at 200 sessions) with the garbage collector
// set as `loupe import` and `loupe sync` set it. Profile with -cpuprofile.
func BenchmarkImportExports(b *testing.B) {
	defer TuneGCForImport()()
	for _, shape := range benchShapes {
		b.Run(shape.name, func(b *testing.B) {
			n := min(b.N, shape.max)
			dir := b.TempDir()
			events := writeShaped(b, dir, n, shape, writeExport)
			db := openWorkspace(b)
			peak, cpu := watchPeakHeap(), cpuClock()
			b.ResetTimer()
			results, err := ImportFiles(context.Background(), db, []string{dir}, nil)
			b.StopTimer()
			used := cpu()
			if err != nil {
				b.Fatal(err)
			}
			imported := 0
			for _, r := range results {
				if r.Status == "imported" {
					imported++
				}
			}
			if imported != n {
				b.Fatalf("imported %d of %d", imported, n)
			}
			reportImport(b, n, events, peak(), used)
		})
	}
}

// BenchmarkSyncFolder is `loupe sync --from FOLDER` over Loupe archives of
// the same shapes: copy and hash each archive, verify it, read it, derive
// its facts and import it.
func BenchmarkSyncFolder(b *testing.B) {
	defer TuneGCForImport()()
	for _, shape := range benchShapes {
		b.Run(shape.name, func(b *testing.B) {
			n := min(b.N, shape.max)
			dir := b.TempDir()
			events := writeShaped(b, dir, n, shape, writeArchive)
			db := openWorkspace(b)
			src, err := source.Open(context.Background(), dir, "")
			if err != nil {
				b.Fatal(err)
			}
			peak, cpu := watchPeakHeap(), cpuClock()
			b.ResetTimer()
			rep, err := Sync(context.Background(), src, db, Options{Source: source.Name(dir)})
			b.StopTimer()
			used := cpu()
			if err != nil {
				b.Fatal(err)
			}
			if rep.Imported != n {
				b.Fatalf("imported %d of %d", rep.Imported, n)
			}
			reportImport(b, n, events, peak(), used)
		})
	}
}

type benchShape struct {
	name string
	max  int
	cut  func([]rrweb.Event) []rrweb.Event
}

var benchShapes = []benchShape{
	{"tiny", 1 << 30, func(ev []rrweb.Event) []rrweb.Event { return ev[:min(len(ev), 6)] }},
	{"shop", 1 << 30, func(ev []rrweb.Event) []rrweb.Event { return ev }},
	{"long", 200, stretch30min},
}

// stretch30min appends half an hour of activity after a visit: a mouse
// move batch every 500 ms, a scroll every 2 s, a click every 20 s, the
// way rrweb records an idle-ish reader.
func stretch30min(ev []rrweb.Event) []rrweb.Event {
	out := append([]rrweb.Event(nil), ev...)
	t := ev[len(ev)-1].Timestamp
	for i := 0; i < 3600; i++ {
		t += 500
		pos := make([]map[string]int, 6)
		for k := range pos {
			pos[k] = map[string]int{"x": 100 + (i*7+k*13)%900, "y": 80 + (i*11+k*5)%600, "id": 5 + k%3, "timeOffset": -400 + k*80}
		}
		out = append(out, benchEvent(rrweb.IncrementalSnapshot, t, map[string]any{"source": 1, "positions": pos}))
		if i%4 == 0 {
			out = append(out, benchEvent(rrweb.IncrementalSnapshot, t+40, map[string]any{"source": 3, "id": 1, "x": 0, "y": (i * 37) % 2400}))
		}
		if i%40 == 0 {
			out = append(out, benchEvent(rrweb.IncrementalSnapshot, t+90, map[string]any{"source": 2, "type": 2, "id": 5, "x": 200 + i%500, "y": 300}))
		}
	}
	return out
}

func benchEvent(typ rrweb.EventType, ts int64, data any) rrweb.Event {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return rrweb.Event{Type: typ, Timestamp: ts, Data: raw}
}

// writeShaped writes n generated sessions cut to shape into dir and
// returns the number of events written.
func writeShaped(b *testing.B, dir string, n int, shape benchShape, write func(path string, s generate.Session) error) int {
	b.Helper()
	events := 0
	err := generate.Each(generate.Options{Seed: 9, Sessions: n}, func(i int, s generate.Session) error {
		s.Events = shape.cut(s.Events)
		events += len(s.Events)
		return write(filepath.Join(dir, fmt.Sprintf("%08d-%s", i, s.Header.Session)), s)
	})
	if err != nil {
		b.Fatal(err)
	}
	return events
}

func writeExport(path string, s generate.Session) error {
	data, err := json.Marshal(s.Events)
	if err != nil {
		return err
	}
	return os.WriteFile(path+".json", data, 0o644)
}

func writeArchive(path string, s generate.Session) error {
	f, err := os.Create(path + archive.KeySuffix)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := archive.NewWriter(f, s.Header)
	if err != nil {
		return err
	}
	for _, e := range s.Events {
		raw, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := w.Write(raw); err != nil {
			return err
		}
	}
	return w.Close()
}

// reportImport reports rates by the wall clock and, because the machine
// may be shared, the process's CPU time per session, which other work
// on the machine disturbs far less.
func reportImport(b *testing.B, n, events int, peakHeap uint64, cpu time.Duration) {
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/session")
	b.ReportMetric(float64(events)/secs, "events/s")
	b.ReportMetric(float64(n)/secs, "sessions/s")
	b.ReportMetric(float64(events)/float64(n), "events/session")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-live-heap-MB")
	b.ReportMetric(0, "ns/op")
}

// watchPeakHeap samples the live heap (what the last collection found
// reachable, not the garbage a collector set to run less often lets
// pile up) every few milliseconds until the returned function is called,
// which gives the highest value seen.
func watchPeakHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

// cpuClock starts a clock of the process's CPU time (user and system);
// the returned function reads it.
func cpuClock() func() time.Duration {
	start := processCPU()
	return func() time.Duration { return processCPU() - start }
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
