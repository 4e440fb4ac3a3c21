package cli

import (
	"context"
	"io"
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
