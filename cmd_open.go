package main

import (
	"context"
	"io"
)

func init() {
	register(command{
		name:    "open",
		summary: "open the workbench window (plain `loupe` does the same)",
		run:     runOpen,
	})
}

func runOpen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("open", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	view := fs.String("view", "", "view address to open, e.g. '#/sessions/ID?t=5000' (default: the sessions list)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	return openWindow(ctx, db, *view)
}
