package main

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

func init() {
	register(command{
		name:    "serve",
		summary: "the workbench UI in a browser (same bindings over HTTP)",
		run:     runServe,
	})
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	addr := fs.String("addr", "127.0.0.1:8790", "address to listen on (loopback only)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	ui := assets.Workbench()
	// A built workbench folder on disk replaces the embedded one, so UI
	// work needs no Go rebuild.
	if dir := os.Getenv("LOUPE_WORKBENCH_DIR"); dir != "" {
		ui = os.DirFS(dir)
	}
	srv, err := desktop.NewServer(ui, desktop.Bindings(db)...)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := listenLoopback(*addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "Loupe workbench: http://%s/\n", ln.Addr())
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

// listenLoopback listens on addr, refusing addresses off this machine:
// browser mode serves the whole workspace to whoever connects.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("serve: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("serve: address %q is not a loopback address; browser mode listens on this machine only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return ln, nil
}

// openWorkspace opens the named workspace file, or the default one.
func openWorkspace(ctx context.Context, path string) (*workspace.DB, error) {
	if path == "" {
		p, err := workspace.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	db, err := workspace.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return db, nil
}
