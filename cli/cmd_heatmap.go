package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/heatmap"
)

func init() {
	register(command{
		name:    "heatmap",
		summary: "clicks, rage clicks, mouse movement or scroll depth on a page, as a table, JSON or PNG",
		run:     runHeatmap,
	})
}

func runHeatmap(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("heatmap", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	page := fs.String("page", "", "page path glob, e.g. /products/*")
	kind := fs.String("kind", "click", "click, scroll, move or rage")
	device := fs.String("device", "", "only this device class: desktop, tablet or mobile (default: all)")
	seg := fs.String("segment", "", "only sessions in this segment")
	asJSON := fs.Bool("json", false, "print the heatmap data as JSON")
	pngPath := fs.String("png", "", "write the heatmap as a PNG image to this file")
	width := fs.Int("width", 640, "PNG width in px")
	period := addPeriodFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe heatmap --workspace F --page PATH-GLOB [--kind click|scroll|move|rage] [--from D] [--to D] [--json | --png FILE]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *page == "" {
		fs.Usage()
		return fmt.Errorf("%w: give --page", errUsage)
	}
	if *asJSON && *pngPath != "" {
		return fmt.Errorf("%w: choose one of --json and --png", errUsage)
	}
	q := heatmap.Query{Page: *page, Kind: heatmap.Kind(strings.ToLower(*kind)), Device: *device}
	var err error
	if q.Segment, err = parseCLISegment(stderr, *seg); err != nil {
		return err
	}
	if q.From, q.To, err = period.period(); err != nil {
		return err
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := db.Heatmap(ctx, q)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case *pngPath != "":
		return writePNG(*pngPath, d, *width, stderr)
	}
	printHeatmap(stdout, d)
	return nil
}

// writePNG writes the image atomically, so a failed render never leaves
// half a file behind.
func writePNG(path string, d *heatmap.Data, width int, stderr io.Writer) error {
	err := atomicfile.Write(path, 0, func(w io.Writer) error {
		return heatmap.RenderPNG(w, d, heatmap.RenderOptions{Width: width})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d points over %d pageviews)\n", path, len(d.Points), d.Pageviews)
	return nil
}

func printHeatmap(w io.Writer, d *heatmap.Data) {
	fmt.Fprintf(w, "%s heatmap of %s: %d sessions, %d pageviews, %d points\n", d.Kind, d.Page, d.Sessions, d.Pageviews, len(d.Points))
	if d.Kind == heatmap.Scroll {
		fmt.Fprintf(w, "\nscroll depth (%d pageviews without a known page height left out)\n", d.ScrollUnknown)
		for _, b := range d.Scroll {
			fmt.Fprintf(w, "%4d%%  %5.1f%%  %s\n", b.Pct, b.Share*100, strings.Repeat("█", int(b.Share*40+0.5)))
		}
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ELEMENT\tCLICKS\tRAGE\tDEAD\tERROR\t")
	for i, e := range d.Elements {
		if i == 25 {
			fmt.Fprintf(tw, "… %d more\t\t\t\t\t\n", len(d.Elements)-i)
			break
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", e.Selector, e.Clicks, e.Rage, e.Dead, e.Error)
	}
	tw.Flush()
}
