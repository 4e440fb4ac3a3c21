//go:build linux

// Command flushprobe times what a durable acknowledgement can wait for on
// the disk holding a folder, outside the collector: the ways a batch's
// bytes can be made durable, each repeated and reported as p50 and p90.
//
//	go run ./tracker-server/cmd/flushprobe -dir /var/lib/loupe
//
// The collector's own rounds (a syncfs after several logs' appends) are
// one of the ways; the others are the alternatives weighed in
// docs/collector-ingest.md. It writes only files of its own in a fresh
// folder under -dir and removes them.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sys/unix"
)

// frame is about one gzipped-then-unpacked 50-event batch as the log
// holds it.
const frame = 5800

func main() {
	dir := flag.String("dir", os.TempDir(), "folder on the disk to probe")
	n := flag.Int("n", 1500, "flushes per way")
	flag.Parse()
	if err := run(*dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, "flushprobe:", err)
		os.Exit(1)
	}
}

// way is one way of making bytes durable: prepare runs before the clock
// starts, flush is timed.
type way struct {
	name           string
	prepare, flush func(i int) error
}

func run(parent string, n int) error {
	dir, err := os.MkdirTemp(parent, "flushprobe-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	open := func(name string) (*os.File, error) { return os.Create(filepath.Join(dir, name)) }
	var logs []*os.File
	for i := range 16 {
		f, err := open(fmt.Sprintf("log%d", i))
		if err != nil {
			return err
		}
		defer f.Close()
		logs = append(logs, f)
	}
	journal, err := open("journal")
	if err != nil {
		return err
	}
	defer journal.Close()
	ahead, err := open("preallocated")
	if err != nil {
		return err
	}
	defer ahead.Close()
	buf := make([]byte, frame)
	// Five logs' appends, as a collector round of 16 clients gathers.
	appendFive := func(i int) error {
		for k := range 5 {
			if _, err := logs[(5*i+k)%len(logs)].Write(buf); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := ahead.Write(make([]byte, (n+1)*frame)); err != nil { // written, not only allocated
		return err
	}
	if err := unix.Fsync(int(ahead.Fd())); err != nil {
		return err
	}
	ways := []way{
		{"one log: append, fdatasync", nil, func(i int) error {
			if _, err := logs[0].Write(buf); err != nil {
				return err
			}
			return unix.Fdatasync(int(logs[0].Fd()))
		}},
		{"one log: overwrite written blocks, fdatasync", nil, func(i int) error {
			if _, err := ahead.WriteAt(buf, int64(i)*frame); err != nil {
				return err
			}
			return unix.Fdatasync(int(ahead.Fd()))
		}},
		{"collector round: five logs' appends, syncfs", appendFive, func(int) error {
			return unix.Syncfs(int(journal.Fd()))
		}},
		{"shared journal: five logs' appends unflushed, journal append of five frames, fdatasync", appendFive, func(int) error {
			for range 5 {
				if _, err := journal.Write(buf); err != nil {
					return err
				}
			}
			return unix.Fdatasync(int(journal.Fd()))
		}},
	}
	for _, w := range ways {
		took := make([]time.Duration, 0, n)
		for i := range n {
			if w.prepare != nil {
				if err := w.prepare(i); err != nil {
					return err
				}
			}
			start := time.Now()
			if err := w.flush(i); err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		fmt.Printf("%-86s p50 %6.0f µs  p90 %6.0f µs\n", w.name, micros(took[n/2]), micros(took[n*9/10]))
	}
	return nil
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
