// Command tracker-server is Loupe's collector: it serves
// the tracker script, takes tracker batches, keeps them durable per
// session, seals idle sessions into archives in a file or S3 store, and
// serves those archives to analysts holding the token.
//
//	tracker-server [--addr 127.0.0.1:8787] [--data DIR]
//	               [--store file://DIR | s3://bucket/prefix?endpoint=...]
//	               [--sites FILE] [--seal-after DURATION]
//
// With no flags it keeps everything under ./loupe-data, accepts the "demo"
// site key from localhost origins, and prints the analyst token.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/loupe-dev/loupe/tracker-server/collector"
)

// version is stamped at build time from `git describe`
// (-ldflags "-X main.version=..."); plain builds say "dev".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "tracker-server: "+err.Error())
		}
		os.Exit(2)
	}
}

// shutdownGrace bounds a graceful stop: draining requests, sealing open
// sessions and uploading them. What does not finish stays on disk.
const shutdownGrace = 30 * time.Second

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tracker-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8787", "listen address")
	data := fs.String("data", "./loupe-data", "data directory: session logs, collector id, analyst token")
	storeURL := fs.String("store", "", "archive store: file://DIR or s3://bucket/prefix?endpoint=... (default DATA/archives)")
	sitesFile := fs.String("sites", "", `JSON file of site keys, allowed origins, asset origins and quotas, {"KEY": {"origins": ["https://example.com"], "asset_origins": ["https://cdn.example.com"], "monthly_sessions": 10000, "warn_at": 0.8, "sample_rate": 1}} (default: "demo" from localhost)`)
	sealAfter := fs.Duration("seal-after", collector.DefaultSealAfter, "seal a session after this much inactivity")
	flushEachLog := fs.Bool("flush-each-log", false, "flush each session log on its own (fdatasync) instead of one flush of the data folder's file system per round of batches (syncfs); for a file system other programs write much to")
	showVersion := fs.Bool("version", false, "print the version and exit")
	metricsToken := fs.String("metrics-token", os.Getenv("LOUPE_METRICS_TOKEN"), "token that opens /v1/status and /metrics only, for monitoring (default $LOUPE_METRICS_TOKEN; the analyst token always works)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		_, err := fmt.Fprintln(stdout, "tracker-server "+version)
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	store, storeName, err := openStore(ctx, *storeURL, *data)
	if err != nil {
		return err
	}
	sites, err := loadSites(*sitesFile)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	c, err := collector.New(collector.Config{
		DataDir: *data, Store: store, Sites: sites.Sites, AssetOrigins: sites.AssetOrigins,
		Quotas:    sites.Quotas,
		SealAfter: *sealAfter, Logger: logger, MetricsToken: *metricsToken,
		FlushEachLog: *flushEachLog,
	})
	if err != nil {
		return err
	}
	go cleanFileStore(store, logger)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		closeCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		return errors.Join(fmt.Errorf("listen: %w", err), c.Close(closeCtx))
	}
	fmt.Fprintf(stdout, "loupe collector %s listening on http://%s\n", c.ID(), ln.Addr())
	fmt.Fprintf(stdout, "archive store: %s\n", storeName)
	fmt.Fprintf(stdout, "analyst token: %s\n", c.Token())
	return serve(ctx, c, ln, logger)
}

// serve runs the HTTP server and the sealer until ctx ends, then stops
// taking requests, seals every open session and flushes it to the store.
func serve(ctx context.Context, c *collector.Collector, ln net.Listener, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           c.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	runCtx, stopRun := context.WithCancel(context.Background())
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		c.Run(runCtx)
	}()
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
		err = fmt.Errorf("serve: %w", err)
	}
	logger.Info("shutting down: sealing open sessions")
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if serr := srv.Shutdown(grace); serr != nil {
		err = errors.Join(err, fmt.Errorf("stop http server: %w", serr))
	}
	stopRun()
	<-runDone
	return errors.Join(err, c.Close(grace))
}
