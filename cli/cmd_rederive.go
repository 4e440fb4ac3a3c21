package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "rederive",
		summary: "derive every session again from its replay with the current definitions",
		run:     runRederive,
	})
}

func runRederive(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("rederive", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe rederive --workspace F")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	bar := newProgressBar(stderr, "re-deriving")
	p, err := db.Rederive(ctx, func(p workspace.RederiveProgress) { bar.update(p.Done, p.Total, "") })
	bar.finish()
	if err != nil {
		return fmt.Errorf("%w; %d of %d sessions were re-derived, run it again to finish", err, p.Done, p.Total)
	}
	fmt.Fprintf(stdout, "re-derived %d sessions with the current definitions\n", p.Done-p.Unreadable)
	if p.Unreadable > 0 {
		fmt.Fprintf(stdout, "%d sessions kept their facts: their stored replay could not be read\n", p.Unreadable)
	}
	return nil
}
