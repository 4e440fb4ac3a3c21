// Command ingestbench measures the collector's ingest side by side with a
// no-op handler: the real collector handler (a real data directory, every
// batch fsynced before its ack) and an http.Handler that only reads the
// body and answers as the collector does, each served on loopback by
// net/http, are driven in turn by the same keep-alive clients posting the
// same pre-made batch bodies (gzipped and sent as text/plain with ?s= and
// an Origin, as the tracker sends them). Each round posts a fixed count of
// batches to each handler; it prints batches/s per round and handler, then
// the medians and their ratio. It asserts nothing about speed.
//
//	go run ./tracker-server/cmd/ingestbench -batches 8000 -rounds 3
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
)

func main() {
	var opts options
	flag.IntVar(&opts.batches, "batches", 8000, "batches posted to each handler per round")
	flag.IntVar(&opts.clients, "clients", 16, "concurrent keep-alive clients")
	flag.IntVar(&opts.sessions, "sessions", 16, "sessions the batches are spread over (each client owns sessions k with k mod clients = its number, and posts their seqs in order, as a tracker does)")
	flag.IntVar(&opts.events, "events", 50, "rrweb events per batch")
	flag.IntVar(&opts.rounds, "rounds", 3, "rounds; each posts -batches to the no-op handler and to a fresh collector, alternating which goes first")
	flag.BoolVar(&opts.plain, "plain", false, "send plain JSON instead of gzip")
	flag.StringVar(&opts.dir, "dir", "", "parent of the collectors' data directories (default: the system temp dir); it decides which disk is fsynced")
	flag.StringVar(&opts.only, "only", "", "run only one handler: collector or noop")
	flag.BoolVar(&opts.flushEachLog, "flush-each-log", false, "run the collector with FlushEachLog (each log flushes on its own instead of shared rounds)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the first collector round to this file")
	flag.StringVar(&opts.blockProfile, "blockprofile", "", "write a profile of where goroutines blocked (channels, locks, select) over the collector rounds to this file")
	flag.StringVar(&opts.mutexProfile, "mutexprofile", "", "write a profile of contended locks over the collector rounds to this file")
	flag.Parse()
	if opts.clients < 1 || opts.batches < opts.clients || opts.sessions < 1 || opts.events < 1 || opts.rounds < 1 {
		fmt.Fprintln(os.Stderr, "ingestbench: -clients, -sessions, -events and -rounds must be positive and -batches at least -clients")
		os.Exit(2)
	}
	if opts.only != "" && opts.only != "collector" && opts.only != "noop" {
		fmt.Fprintln(os.Stderr, "ingestbench: -only takes collector or noop")
		os.Exit(2)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ingestbench: "+err.Error())
			os.Exit(1)
		}
		defer f.Close()
		opts.profile = f
	}
	if opts.blockProfile != "" {
		runtime.SetBlockProfileRate(1000) // a sample per microsecond blocked, about
	}
	if opts.mutexProfile != "" {
		runtime.SetMutexProfileFraction(1)
	}
	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "ingestbench: "+err.Error())
		os.Exit(1)
	}
}
