// Command loadtest is the bounded loopback load test of the collector on
// each archive store: it starts a real MinIO (sync/s3/miniotest) and one or
// more tracker-server processes, sends a fixed number of ingest batches
// routed by a hash of the session id (as the load balancer in
// sync/s3/README.md does), stops the collectors gracefully so every
// session is sealed and uploaded, then reads every archive back from the
// store and checks that each acknowledged event is in exactly one archive.
// It prints one Markdown table row per run.
//
//	go run ./sync/s3/loadtest -batches 4000 -sessions 200
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	opts := options{}
	flag.IntVar(&opts.batches, "batches", 4000, "ingest requests to send per run (the test stops after them)")
	flag.IntVar(&opts.sessions, "sessions", 200, "sessions the batches are spread over")
	flag.IntVar(&opts.events, "events", 50, "rrweb events per batch")
	flag.IntVar(&opts.clients, "clients", 16, "concurrent senders")
	stores := flag.String("stores", "file,minio", "stores to run on: file, minio")
	collectors := flag.String("collectors", "1,2", "collector counts to run")
	flag.StringVar(&opts.server, "tracker-server", "", "tracker-server binary (default: build ./tracker-server)")
	flag.Parse()

	if err := run(opts, strings.Split(*stores, ","), strings.Split(*collectors, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest: "+err.Error())
		os.Exit(1)
	}
}

type options struct {
	batches, sessions, events, clients int
	server                             string
}

func run(opts options, stores, counts []string) error {
	work, err := os.MkdirTemp("", "loupe-loadtest-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if opts.server == "" {
		opts.server = filepath.Join(work, "tracker-server")
		build := exec.Command("go", "build", "-o", opts.server, "./tracker-server")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build tracker-server (run from the repository root): %w", err)
		}
	}
	var env *minioEnv
	defer func() {
		if env != nil {
			env.stop()
		}
	}()
	fmt.Println("| store | collectors | batches | events | clients | batches/s | events/s | p50 ack | p99 ack | max ack | seal+upload on stop | archives | events verified |")
	fmt.Println("| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |")
	for _, store := range stores {
		for _, count := range counts {
			n := 0
			fmt.Sscan(count, &n)
			if n < 1 {
				return fmt.Errorf("bad collector count %q", count)
			}
			var target storeTarget
			switch store {
			case "file":
				target = fileTarget(filepath.Join(work, fmt.Sprintf("file-%d", n)))
			case "minio":
				if env == nil {
					if env, err = startMinio(filepath.Join(work, "minio")); err != nil {
						return err
					}
				}
				if target, err = env.target(fmt.Sprintf("load-%d", n)); err != nil {
					return err
				}
			default:
				return fmt.Errorf("unknown store %q", store)
			}
			res, err := runOnce(opts, work, store, n, target)
			if err != nil {
				return fmt.Errorf("%s with %d collectors: %w", store, n, err)
			}
			fmt.Println(res.row())
		}
	}
	return nil
}
