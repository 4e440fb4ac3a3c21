package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop"
)

func init() {
	register(command{
		name:    "compare",
		summary: "two sessions side by side on one timeline, in the window or a browser",
		run:     runCompare,
	})
}

func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	align := fs.String("align", desktop.AlignStart, "where the two line up: 'start', or a funnel step each session reached ('page:/checkout*', 'click:#buy')")
	noWindow := fs.Bool("no-window", false, "serve the view in a browser (browser mode) instead of opening the window")
	addr := fs.String("addr", "127.0.0.1:8790", "address to listen on with --no-window (loopback only)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe compare --workspace F [--align STEP] [--no-window] SESSION_A SESSION_B")
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 2 {
		fs.Usage()
		return fmt.Errorf("%w: want two session ids, got %d", errUsage, len(rest))
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	// Checked here so a missing session or a step one of them never
	// reached is said on the terminal, not in a window.
	for _, id := range rest {
		if _, err := db.Session(ctx, id); errors.Is(err, workspace.ErrNotFound) {
			return fmt.Errorf("there is no session %q in %s", id, db.Path())
		} else if err != nil {
			return fmt.Errorf("compare: %w", err)
		}
	}
	cmp, err := desktop.NewPlayer(db).Compare(rest[0], rest[1], *align)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	view := compareView(rest[0], rest[1], cmp.Align)
	if *noWindow {
		return serveWorkbenchView(ctx, db, *addr, view, stdout, stderr)
	}
	return openWindow(ctx, db, view)
}

// compareView is the view address of a side-by-side comparison, the one
// the workbench's own links use.
func compareView(a, b, align string) string {
	return "#/compare?a=" + url.QueryEscape(a) + "&b=" + url.QueryEscape(b) + "&align=" + url.QueryEscape(align)
}
