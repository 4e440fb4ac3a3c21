package cli

import (
	"context"
	"fmt"
	"io"
	"os"
)

func init() {
	register(command{
		name:    "copy",
		summary: "save a consistent copy of a workspace to one file (safe while the app runs)",
		run:     runCopy,
	})
}

func runCopy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("copy", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	out := fs.String("out", "", "file to write the copy to (replaced if it exists)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe copy --workspace F --out FILE")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: --out is required", errUsage)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CopyTo(ctx, *out); err != nil {
		return err
	}
	fi, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "copied %s to %s (%s)\n", db.Path(), *out, byteSize(fi.Size()))
	return nil
}
