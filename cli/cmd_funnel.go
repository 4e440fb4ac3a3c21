package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "funnel",
		summary: "count how sessions move through ordered steps (page:, click:, event:, input:)",
		run:     runFunnel,
	})
}

// stepFlags collects repeated --step flags.
type stepFlags []funnel.Step

func (s *stepFlags) String() string {
	parts := make([]string, len(*s))
	for i, st := range *s {
		parts[i] = st.String()
	}
	return strings.Join(parts, " ")
}

func (s *stepFlags) Set(v string) error {
	st, err := funnel.ParseStep(v)
	if err != nil {
		return err
	}
	*s = append(*s, st)
	return nil
}

// funnelJSON is the stable output of `loupe funnel --json`.
type funnelJSON struct {
	Query  funnel.Query   `json:"query"`
	Result *funnel.Result `json:"result"`
	// Dropped lists, when --dropped N is given, the sessions that reached
	// step N (1-based) and not the next.
	Dropped []string `json:"dropped,omitempty"`
}

func runFunnel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("funnel", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	useIndex := fs.Bool("index", true, "answer from the analytics index kept beside the workspace (WORKSPACE.index); false: SQL only")
	var steps stepFlags
	fs.Var(&steps, "step", "a step, repeated in order: page:/path-glob, click:CSS-selector, event:name, input:CSS-selector")
	window := fs.Duration("window", funnel.DefaultWindow, "conversion window from the first step to the last, within one session")
	mode := fs.String("mode", "sequential", "sequential (other events between steps allowed), strict (none of the steps' kinds between) or any (any order)")
	seg := fs.String("segment", "", `only sessions in this segment, e.g. 'device = mobile'`)
	breakdown := fs.String("breakdown", "", "split by one attribute: device, browser, os, country, site, user, entry, exit or trait.NAME")
	period := addPeriodFlags(fs)
	dropped := fs.Int("dropped", 0, "also list the sessions that reached step N (1-based) and not the next")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe funnel --workspace F --step STEP ... [--window DURATION] [--json]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(steps) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: give at least one --step", errUsage)
	}
	q := funnel.Query{Steps: steps, Window: *window, Mode: funnel.Mode(*mode), Breakdown: *breakdown}
	var err error
	if q.Segment, err = parseCLISegment(stderr, *seg); err != nil {
		return err
	}
	if q.From, q.To, err = period.period(); err != nil {
		return err
	}
	if *dropped < 0 || *dropped > len(steps) {
		return fmt.Errorf("--dropped %d: the funnel has steps 1 to %d", *dropped, len(steps))
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	var x *index.Index
	if *useIndex {
		x = openIndex(ctx, db, stderr)
	}
	res, err := indexedFunnel(ctx, db, x, q)
	if err != nil {
		return err
	}
	var ids []string
	if *dropped > 0 {
		ids = res.DroppedAfter(*dropped - 1)
	}
	if *asJSON {
		out := funnelJSON{Query: q, Result: res, Dropped: ids}
		out.Query.Window = *window
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printFunnel(stdout, res)
	if *dropped > 0 {
		fmt.Fprintf(stdout, "\n%d sessions reached step %d and not the next:\n", len(ids), *dropped)
		for _, id := range ids {
			fmt.Fprintln(stdout, id)
		}
	}
	return nil
}

// parseCLISegment parses a --segment value, showing where a mistake is.
func parseCLISegment(stderr io.Writer, text string) (segment.Expr, error) {
	e, err := workspace.ParseSegment(text)
	if err != nil {
		var pe *segment.ParseError
		if errors.As(err, &pe) && !pe.Multiline {
			fmt.Fprintf(stderr, "  %s\n  %s^\n", text, strings.Repeat(" ", max(pe.Column-1, 0)))
		}
		return nil, fmt.Errorf("in the segment, %w", err)
	}
	return e, nil
}

// printFunnel prints the steps as a table with a bar per step.
func printFunnel(w io.Writer, r *funnel.Result) {
	fmt.Fprintf(w, "%d sessions in scope, %d converted (%.1f%% of those who entered)\n\n", r.Sessions, r.Converted, r.Conversion*100)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSTEP\tSESSIONS\tOVERALL\tFROM PREV\tMEDIAN\tP90\tDROPPED\t")
	first := 0
	if len(r.Steps) > 0 {
		first = r.Steps[0].Count
	}
	for i, s := range r.Steps {
		bar := ""
		if first > 0 {
			bar = strings.Repeat("█", int(float64(s.Count)/float64(first)*24+0.5))
		}
		med, p90 := "-", "-"
		if i > 0 && s.Count > 0 {
			med, p90 = shortDuration(s.MedianMS), shortDuration(s.P90MS)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%.1f%%\t%.1f%%\t%s\t%s\t%d\t%s\n", i+1, s.Step, s.Count,
			s.ConversionOverall*100, s.ConversionFromPrevious*100, med, p90, s.DroppedOff, bar)
	}
	tw.Flush()
	if len(r.Breakdown) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "GROUP\tSESSIONS\tSTEP COUNTS\tCONVERSION\t")
		for _, g := range r.Breakdown {
			counts := make([]string, len(g.Counts))
			for i, c := range g.Counts {
				counts[i] = fmt.Sprint(c)
			}
			v := g.Value
			if v == "" {
				v = "(none)"
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.1f%%\t\n", v, g.Sessions, strings.Join(counts, " → "), g.Conversion*100)
		}
		tw.Flush()
	}
}

func shortDuration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", ms)
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return d.Round(time.Minute).String()
}
