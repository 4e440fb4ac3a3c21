package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/saved"
)

func init() {
	register(command{
		name:    "saved",
		summary: "export saved segments, funnels, tag rules, dashboard, notes to a file, or import them",
		run:     runSaved,
	})
}

const savedUsage = `usage:
  loupe saved export --workspace F --out FILE
  loupe saved import --workspace F FILE`

func runSaved(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, savedUsage)
		return fmt.Errorf("%w: want `saved export` or `saved import`", errUsage)
	}
	switch args[0] {
	case "export":
		return runSavedExport(ctx, args[1:], stdout, stderr)
	case "import":
		return runSavedImport(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, savedUsage)
	return fmt.Errorf("%w: unknown `saved %s`", errUsage, args[0])
}

func runSavedExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("saved export", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	out := fs.String("out", "", "JSON file to write")
	fs.Usage = func() { fmt.Fprintln(stderr, savedUsage); fs.PrintDefaults() }
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
	b, err := saved.Export(ctx, db)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, 0o644, func(w io.Writer) error { return saved.Write(w, b) }); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "exported %d segments, %d funnels, %d tag rules, %s, %d notes and bookmarks to %s\n",
		len(b.Segments), len(b.Funnels), len(b.TagRules), dashboardWord(b), len(b.Notes), *out)
	return nil
}

func dashboardWord(b saved.Bundle) string {
	if b.Dashboard == nil {
		return "no dashboard"
	}
	return "the dashboard"
}

func runSavedImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("saved import", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() { fmt.Fprintln(stderr, savedUsage); fs.PrintDefaults() }
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: name one file to import", errUsage)
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := saved.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := saved.Import(ctx, db, b)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "imported %d items, %d already here\n", rep.Added, rep.Present)
	for _, r := range rep.Renamed {
		fmt.Fprintf(stdout, "name taken by something different, kept both: %s\n", r)
	}
	if rep.Dashboard {
		fmt.Fprintln(stdout, "dashboard: set or given the imported cards")
	}
	if rep.NotesSkipped > 0 {
		fmt.Fprintf(stdout, "%d notes skipped: their sessions are not in this workspace\n", rep.NotesSkipped)
	}
	return nil
}
