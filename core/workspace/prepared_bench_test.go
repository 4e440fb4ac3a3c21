package workspace

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/generate"
)

// BenchmarkAddPrepared measures the writer alone: sessions prepared
// beforehand (facts derived, replay compressed) stored by AddPrepared in
// an unguarded batch, 256 to a commit, as `loupe import` stores them.
// Tiny sessions (the first six events of a visit) show the fixed cost
// of a session; shop ones a whole visit's rows.
//
//	go test ./core/workspace -run '^$' -bench AddPrepared -benchtime 20000x
func BenchmarkAddPrepared(b *testing.B) {
	for _, shape := range []struct {
		name string
		keep int
	}{{"tiny", 6}, {"shop", 1 << 30}} {
		b.Run(shape.name, func(b *testing.B) {
			ctx := context.Background()
			db := openTemp(b)
			defs, err := db.Definitions(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var preps []Prepared
			err = generate.Each(generate.Options{Seed: 4, Sessions: b.N}, func(_ int, s generate.Session) error {
				p, err := Prepare(s.Header, s.Events[:min(len(s.Events), shape.keep)], nil, defs)
				preps = append(preps, p)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := processCPU()
			var batch *Batch
			for i, p := range preps {
				if batch == nil {
					if batch, err = db.BeginBulk(ctx); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := batch.AddPrepared(p, p.Header.Session, ""); err != nil {
					b.Fatal(err)
				}
				if i%256 == 255 || i == len(preps)-1 {
					if err := batch.Commit(); err != nil {
						b.Fatal(err)
					}
					batch = nil
				}
			}
			b.StopTimer()
			used := processCPU() - cpu
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
			b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-µs/session")
		})
	}
}

// processCPU is the process's CPU time so far: on a shared machine it is
// disturbed far less than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
