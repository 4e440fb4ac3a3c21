package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/loupe-dev/loupe/assets"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop"
)

// serveWorkbench serves the workbench UI and its bindings over HTTP on a
// loopback address until ctx ends (browser mode).
func serveWorkbench(ctx context.Context, db *workspace.DB, addr string, stdout, stderr io.Writer) error {
	return serveWorkbenchView(ctx, db, addr, "", stdout, stderr)
}

// serveWorkbenchView is serveWorkbench printing an address that opens at
// a view ("#/compare?a=…"; empty: the default view).
func serveWorkbenchView(ctx context.Context, db *workspace.DB, addr, view string, stdout, stderr io.Writer) error {
	ui := assets.Workbench()
	// A built workbench folder on disk replaces the embedded one, so UI
	// work needs no Go rebuild.
	if dir := os.Getenv("LOUPE_WORKBENCH_DIR"); dir != "" {
		ui = os.DirFS(dir)
	}
	// The app's lifetime: every request's context derives from it, and
	// closing it stops and joins a running sync and the alert watch before
	// the caller closes the workspace.
	life := desktop.NewLife(ctx)
	defer life.Close()
	srv, err := desktop.NewServer(ui, desktop.BindingsWith(db, desktop.Options{Life: life, OpenWorkspace: desktop.OpenInNewServer})...)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv.HandleAssets(db)
	ln, err := listenLoopback(addr)
	if err != nil {
		return err
	}
	// Rules are checked on a schedule while the server runs; the page
	// polls for what fired and shows it (and a browser notification).
	if err := desktop.WatchAlerts(life, db, desktop.AlertEvery, nil, func(err error) { fmt.Fprintf(stderr, "alerts: %v\n", err) }); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return life.Context() }}
	// The key is in the address only: whoever can read this output can
	// open the workspace, nobody else on the machine can.
	fmt.Fprintf(stdout, "Loupe workbench: %s%s\n", srv.URL(ln.Addr().String()), view)
	fmt.Fprintf(stderr, "workspace %s; press Ctrl+C to stop\n", db.Path())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: stop: %w", err)
	}
	return nil
}
