package main

import (
	"context"
	"fmt"
	"io"
	"net"
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
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	return serveWorkbench(ctx, db, *addr, stdout, stderr)
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
