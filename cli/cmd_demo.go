package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/loupe-dev/loupe/assets"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/sync/pull"
	"github.com/loupe-dev/loupe/sync/source"
	"github.com/loupe-dev/loupe/tracker-server/collector"
	"github.com/loupe-dev/loupe/tracker-server/demoshop"
)

func init() {
	register(command{
		name:    "demo",
		summary: "embedded collector + demo shop traffic + sync + workbench, one command",
		run:     runDemo,
	})
}

// demoSealAfter is short so visits made by hand in the demo shop show up in
// the workbench within a minute or two.
const demoSealAfter = 45 * time.Second

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	data := fs.String("data", "", "demo data folder (default: beside the user's workspace, in demo/)")
	noWindow := fs.Bool("no-window", false, "serve the workbench in a browser instead of opening the window")
	addr := fs.String("addr", "127.0.0.1:8790", "workbench address in browser mode (loopback only)")
	shopAddr := fs.String("shop", "127.0.0.1:8788", "demo shop and collector address (loopback only)")
	cdnAddr := fs.String("cdn", "127.0.0.1:8789", "demo shop's CDN address: photos, web font, brand stylesheet (loopback only)")
	variants := fs.Int("variants", 6, "sessions made from each recorded visit")
	reset := fs.Bool("reset", false, "start from an empty demo workspace")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir, err := demoDir(*data)
	if err != nil {
		return err
	}
	if *reset {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("demo: reset %s: %w", dir, err)
		}
	}
	store, err := file.New(filepath.Join(dir, "archives"))
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	db, err := workspace.Open(ctx, filepath.Join(dir, "workspace.db"))
	if err != nil {
		return err
	}
	defer db.Close()

	ln, err := listenLoopback(*shopAddr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	shop := &swapHandler{}
	hs := &http.Server{Handler: shop, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	// The shop's pictures, font and brand stylesheet come from a second
	// origin, as from a CDN, so sessions show how a replay gets them.
	cdnLn, err := listenLoopback(*cdnAddr)
	if err != nil {
		return err
	}
	cdn := "http://" + cdnLn.Addr().String()
	cdnServer := &http.Server{Handler: demoshop.CDNHandler(), ReadHeaderTimeout: 10 * time.Second}
	go cdnServer.Serve(cdnLn)
	defer cdnServer.Close()

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := collector.Config{DataDir: filepath.Join(dir, "collector"), Store: store, SealAfter: demoSealAfter, Logger: quiet}
	col, err := collector.New(cfg)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	shop.set(demoshop.Handler(col.Handler(), cdn))

	n, err := db.Count(ctx, workspace.SessionQuery{})
	if err != nil {
		return err
	}
	if n == 0 {
		// The recorded visits go through the real ingest path; closing the
		// collector seals them all at once instead of waiting for idleness.
		bar := newProgressBar(stderr, "demo traffic")
		st, err := demoshop.Replay(ctx, assets.DemoRecordings(), demoshop.ReplayOptions{
			Base: base, CDN: cdn, Variants: *variants,
			Progress: func(done, total int) { bar.update(done, total, "") },
		})
		bar.finish()
		if err != nil {
			col.Close(context.Background())
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprintf(stderr, "demo: sent %d sessions (%d batches, %d events) to the collector\n", st.Sessions, st.Batches, st.Events)
		if err := col.Close(ctx); err != nil {
			return fmt.Errorf("demo: seal: %w", err)
		}
		if col, err = collector.New(cfg); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		shop.set(demoshop.Handler(col.Handler(), cdn))
	}
	runCtx, stopCollector := context.WithCancel(ctx)
	go col.Run(runCtx)
	defer func() {
		stopCollector()
		closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		col.Close(closeCtx)
	}()

	sync := func(ctx context.Context) (pull.Report, error) {
		src, err := source.Open(ctx, base, col.Token())
		if err != nil {
			return pull.Report{}, err
		}
		return pull.Sync(ctx, src, db, pull.Options{Source: source.Name(base)})
	}
	rep, err := sync(ctx)
	if err != nil {
		return fmt.Errorf("demo: sync: %w", err)
	}
	fmt.Fprintf(stderr, "demo: synced %d new archives into %s\n", rep.Imported, db.Path())
	if n == 0 {
		if err := seedDemo(ctx, db); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	liveDone := make(chan struct{})
	go func() { // live visits to the shop arrive while the demo runs
		defer close(liveDone)
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
				if rep, err := sync(runCtx); err == nil && rep.Imported > 0 {
					fmt.Fprintf(stderr, "demo: synced %d new sessions\n", rep.Imported)
				}
			}
		}
	}()

	// A live sync stops and returns before the workspace closes.
	defer func() {
		stopCollector()
		<-liveDone
	}()

	fmt.Fprintf(stdout, "Demo shop (visits are recorded): %s/ (its CDN: %s/)\n", base, cdn)
	if !*noWindow {
		err := openWindow(ctx, db, "#/sessions")
		if !errors.Is(err, errNoWindow) {
			return err
		}
		fmt.Fprintf(stderr, "demo: %v; serving the workbench in a browser instead\n", sentence(err))
	}
	return serveWorkbench(ctx, db, *addr, stdout, stderr)
}

// demoDir is the demo's data folder: the flag, or demo/ beside the user's
// default workspace.
func demoDir(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	p, err := workspace.DefaultPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "demo"), nil
}

// swapHandler lets the demo replace its collector (after sealing the
// recorded traffic) without restarting the listener.
type swapHandler struct {
	h atomic.Pointer[http.Handler]
}

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := s.h.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	http.Error(w, "starting", http.StatusServiceUnavailable)
}
