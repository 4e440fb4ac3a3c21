package cli

import (
	"context"
	"errors"
	"io"
)

// errNoWindow explains how to get the window when this binary has none;
// `loupe demo` matches it to fall back to browser mode.
var errNoWindow = errors.New("this loupe binary was built without the desktop window; " +
	"build it with `go build -tags desktop,production,webkit2_41 .`, or run `loupe serve` and open the printed address in a browser")

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
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	return openWindow(ctx, db, *view)
}
