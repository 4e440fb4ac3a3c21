package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/loupe-dev/loupe/sync/erase"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/sync/s3"
)

func init() {
	register(command{
		name:    "erase",
		summary: "delete a visitor's archives from a collector's store (file:// or s3://), for an erasure request",
		run:     runErase,
	})
}

func runErase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("erase", stderr)
	from := fs.String("from", "", "the store the collector seals into: file://DIR, a folder, or s3://bucket/prefix?endpoint=...")
	visitor := fs.String("visitor", "", "the visitor id whose archives to delete")
	dryRun := fs.Bool("dry-run", false, "list the archives and delete nothing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe erase --from SOURCE --visitor ID [--dry-run]\n\n"+
			"Deletes the visitor's sealed archives from the store; run `loupe delete --visitor ID`\n"+
			"on each workspace too. A collector's own data folder holds only unsealed logs.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *visitor == "" {
		fs.Usage()
		return fmt.Errorf("%w: --from and --visitor are required", errUsage)
	}
	st, err := openErasable(ctx, *from)
	if err != nil {
		return err
	}
	bar := newProgressBar(stderr, "reading headers")
	res, err := erase.Run(ctx, st, erase.ByVisitor(*visitor), *dryRun, func(r erase.Result) { bar.update(r.Scanned, r.Scanned, "") })
	bar.finish()
	verb := "deleted"
	if *dryRun {
		verb = "would delete"
	}
	for i, e := range res.Matched {
		if *dryRun || i < res.Deleted {
			fmt.Fprintf(stdout, "%s %s\n", verb, e.Key)
		}
	}
	for _, k := range res.Unreadable {
		fmt.Fprintf(stdout, "could not read %s: check it by hand\n", k)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d of %d archives belong to %s; %s %d\n", len(res.Matched), res.Scanned, *visitor, verb, len(res.Matched))
	return nil
}

// openErasable opens a store that can delete: a folder or S3. A
// collector's HTTP API only serves archives.
func openErasable(ctx context.Context, addr string) (erase.Store, error) {
	scheme, rest, ok := strings.Cut(addr, "://")
	switch {
	case !ok:
		return file.New(addr)
	case scheme == "file":
		return file.New(rest)
	case scheme == "s3":
		return s3.Open(ctx, addr)
	}
	return nil, fmt.Errorf("erase from %s: the collector's HTTP API cannot delete; name its store (file:// or s3://)", addr)
}
