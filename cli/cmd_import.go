package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/loupe-dev/loupe/sync/pull"
)

func init() {
	register(command{
		name:    "import",
		summary: "import Loupe archives or plain rrweb exports (JSON) into a workspace",
		run:     runImport,
	})
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	asJSON := fs.Bool("json", false, "print one result per file as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe import --workspace F PATH...   (*.loupe archives, rrweb JSON exports, or folders of them)")
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: name at least one file or folder to import", errUsage)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	defer pull.TuneGCForImport()()
	bar := newProgressBar(stderr, "import")
	results, err := pull.ImportFiles(ctx, db, paths, func(p pull.Progress) {
		bar.update(p.Done, p.Total, p.Current)
	})
	bar.finish()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if results == nil {
			results = []pull.FileResult{}
		}
		if err := enc.Encode(results); err != nil {
			return err
		}
	}
	count := map[string]int{}
	unint := map[string]int{}
	for _, r := range results {
		count[r.Status]++
		if !*asJSON {
			switch r.Status {
			case "failed":
				fmt.Fprintf(stderr, "could not import %s: %s\n", r.Path, r.Error)
			default:
				fmt.Fprintf(stdout, "%-8s %s  session %s, %d events", r.Status, r.Path, r.Session, r.Events)
				if r.Assets != "" {
					fmt.Fprintf(stdout, ", page assets %s", r.Assets)
				}
				fmt.Fprintln(stdout)
			}
		}
		for k, v := range r.Uninterpreted {
			unint[k] += v
		}
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "%d imported, %d merged into existing sessions, %d already present, %d failed\n",
			count["imported"], count["merged"], count["skipped"], count["failed"])
		printUninterpreted(stdout, unint)
	}
	switch n := count["failed"]; {
	case n > 0 && n == len(results):
		return fmt.Errorf("none of the %d files could be imported", n)
	case n > 0:
		return fmt.Errorf("%d of %d files could not be imported; the others were", n, len(results))
	}
	return nil
}

func sortStrings(s []string) { sort.Strings(s) }
