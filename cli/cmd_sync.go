package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/sync/pull"
	"github.com/loupe-dev/loupe/sync/source"
)

func init() {
	register(command{
		name:    "sync",
		summary: "pull sealed archives from a collector, an S3 bucket or a folder into a workspace",
		run:     runSync,
	})
}

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sync", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	from := fs.String("from", "", "http(s)://collector, s3://bucket/prefix?endpoint=..., or a folder")
	token := fs.String("token", os.Getenv("LOUPE_TOKEN"), "analyst token of the collector (default $LOUPE_TOKEN)")
	workers := fs.Int("workers", 4, "parallel downloads")
	asJSON := fs.Bool("json", false, "print the sync report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe sync --workspace F --from SOURCE [--token T] [--json]")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *from == "" {
		fs.Usage()
		return fmt.Errorf("%w: --from is required", errUsage)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	src, err := source.Open(ctx, *from, *token)
	if err != nil {
		return err
	}
	defer pull.TuneGCForImport()()
	bar := newProgressBar(stderr, "sync")
	rep, err := pull.Sync(ctx, src, db, pull.Options{
		Source:  source.Name(*from),
		Workers: *workers,
		Progress: func(p pull.Progress) {
			bar.update(p.Done, p.Total, p.Current)
		},
	})
	bar.finish()
	for _, p := range rep.Problems {
		fmt.Fprintf(stderr, "quarantined %s: %s\n", p.Key, p.Reason)
	}
	if err != nil {
		if errors.Is(err, source.ErrUnauthorized) {
			return fmt.Errorf("sync from %s: the collector refused the token; pass the analyst token with --token", source.Name(*from))
		}
		if rep.Imported > 0 {
			return fmt.Errorf("%w; %d archives were imported before it stopped, run it again to finish", err, rep.Imported)
		}
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(stdout, "synced %s: %d imported (%d merged), %d already present, %d quarantined, %d events in %s\n",
		rep.Source, rep.Imported, rep.Merged, rep.Skipped, rep.Quarantined, rep.Events, rep.Duration.Round(time.Millisecond))
	if a := rep.Assets; a.Fetched+a.Carried+a.Present+a.Missing > 0 {
		fmt.Fprintf(stdout, "page assets: %d fetched (%s), %d already present (deduplicated), %d missing at the source\n",
			a.Fetched+a.Carried, byteSize(a.Bytes), a.Present, a.Missing)
	}
	printUninterpreted(stdout, rep.Uninterpreted)
	if rep.Expired > 0 {
		fmt.Fprintf(stdout, "retention: deleted %d sessions older than the workspace keeps\n", rep.Expired)
	}
	for _, a := range rep.Alerts {
		fmt.Fprintf(stdout, "alert: %s\n", a.Message)
	}
	if rep.AlertError != "" {
		fmt.Fprintf(stderr, "alert rules could not all be evaluated: %s\n", rep.AlertError)
	}
	for _, q := range rep.Quotas {
		if q.Warned || q.Limited {
			fmt.Fprintln(stdout, q.Summary())
		}
	}
	if rep.QuotaError != "" {
		fmt.Fprintf(stderr, "site quotas not read: %s\n", rep.QuotaError)
	}
	return nil
}

// parseInterleaved parses flags that may come after positional arguments
// (`loupe import a.json --workspace w.db`) and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// printUninterpreted says what the recordings held that Loupe skipped.
func printUninterpreted(w io.Writer, m map[string]int) {
	if len(m) == 0 {
		return
	}
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, v))
	}
	sortStrings(parts)
	fmt.Fprintf(w, "not interpreted (kept in the replay): %s\n", strings.Join(parts, ", "))
}

// byteSize writes a byte count for people: 812 B, 4.2 KiB, 3.1 MiB.
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}
