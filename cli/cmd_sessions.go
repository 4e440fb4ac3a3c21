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

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "sessions",
		summary: "list the sessions of a workspace, optionally in a segment",
		run:     runSessions,
	})
}

func runSessions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sessions", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	seg := fs.String("segment", "", `segment expression, e.g. 'device = mobile and visited "/checkout*"'`)
	asJSON := fs.Bool("json", false, "print an array of sessions as JSON (fields: docs/cli.md)")
	page := fs.String("page", "", "only sessions that visited a path matching this glob")
	device := fs.String("device", "", "only sessions on this device class (desktop, tablet, mobile)")
	tag := fs.String("tag", "", "only sessions with this tag")
	text := fs.String("text", "", "only sessions whose pages, events or errors mention this text")
	site := fs.String("site", "", "only sessions of this site")
	withErrors := fs.Bool("errors", false, "only sessions with JS errors or failed requests")
	minDur := fs.Duration("min-duration", 0, "only sessions at least this long")
	sortBy := fs.String("sort", "-started_at", "sort column, '-' for descending (started_at, duration_ms, pageviews, clicks, js_errors, frustration_score ...)")
	limit := fs.Int("limit", 0, "at most this many sessions (0: all)")
	period := addPeriodFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe sessions --workspace F [--segment EXPR] [--from D] [--to D] [--json]")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	q := workspace.SessionQuery{Page: *page, Device: *device, Tag: *tag, Text: *text, Site: *site,
		HasErrors: *withErrors, MinDurationMS: minDur.Milliseconds(), Sort: *sortBy, Limit: *limit}
	var err error
	if q.From, q.To, err = period.period(); err != nil {
		return err
	}
	expr, err := workspace.ParseSegment(*seg)
	if err != nil {
		var pe *segment.ParseError
		if errors.As(err, &pe) {
			// Point at the column so the mistake is easy to find.
			fmt.Fprintf(stderr, "  %s\n  %s^\n", *seg, strings.Repeat(" ", max(pe.Column-1, 0)))
		}
		return fmt.Errorf("in the segment, %w", err)
	}
	q = q.WithSegment(expr)
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	sessions, err := db.Sessions(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		if sessions == nil {
			sessions = []core.Session{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sessions)
	}
	return printSessionTable(stdout, sessions)
}

// printSessionTable prints sessions as an aligned table for people.
func printSessionTable(w io.Writer, sessions []core.Session) error {
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTED\tDURATION\tPAGES\tCLICKS\tRAGE\tERRORS\tDEVICE\tENTRY PAGE")
	for _, s := range sessions {
		entry := ""
		if len(s.Pages) > 0 {
			entry = s.Pages[0]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", s.ID, s.StartedAt.Format("2006-01-02 15:04"),
			(time.Duration(s.DurationMS) * time.Millisecond).Round(time.Second), s.Pageviews, s.Clicks,
			s.RageClicks, s.JSErrors+s.FailedReqs, s.Device, entry)
	}
	fmt.Fprintf(tw, "%d sessions\n", len(sessions))
	return tw.Flush()
}
