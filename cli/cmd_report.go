package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/report"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "report",
		summary: "write a self-contained HTML report (charts, funnel, insights, heatmaps) that opens offline",
		run:     runReport,
	})
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	out := fs.String("out", "", "the HTML file to write")
	title := fs.String("title", "", "the report's title (default \"Loupe report\")")
	seg := fs.String("segment", "", "report only on the sessions in this segment")
	from := fs.String("from", "", "start of the period (YYYY-MM-DD or RFC 3339)")
	to := fs.String("to", "", "end of the period (YYYY-MM-DD, inclusive, or RFC 3339)")
	var steps, pages stepList
	fs.Var(&steps, "step", "a funnel step (repeat; default: inferred from the data)")
	fs.Var(&pages, "heatmap", "a page glob to draw a click heatmap of (repeat; default: the funnel's pages)")
	linkBase := fs.String("link-base", "loupe://", "what goes before each moment's #/sessions/ID?t=MS link (e.g. http://127.0.0.1:8790/ for browser mode)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe report --workspace F --out report.html [--segment EXPR] [--from D --to D]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "loupe report: --out is required")
		fs.Usage()
		return fmt.Errorf("%w: --out is required", errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	opt := report.Options{Title: *title, Funnel: steps, HeatmapPages: pages, LinkBase: *linkBase,
		Progress: func(s string) { fmt.Fprintln(stderr, s+"…") }}
	var err error
	if opt.From, opt.To, err = dayRange(*from, *to); err != nil {
		return err
	}
	if opt.Segment, err = workspace.ParseSegment(*seg); err != nil {
		return fmt.Errorf("in the segment, %w", err)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	page, err := report.Build(ctx, db, opt)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, 0, func(w io.Writer) error { return report.Write(w, page) }); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d charts, %d insights, %d heatmaps\n", *out, page.ChartsN, len(page.Insights), len(page.Heatmaps))
	return nil
}
