package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/ask"
	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/insight/reword"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "insights",
		summary: "draft findings in plain English from a workspace",
		run:     runInsights,
	})
}

// rewordSetting is the workspace setting that holds the optional model's
// configuration (reword.Config as JSON); absent means off.
const rewordSetting = "insights.reword"

// stepList collects repeated --step flags.
type stepList []string

func (s *stepList) String() string     { return strings.Join(*s, " ") }
func (s *stepList) Set(v string) error { *s = append(*s, v); return nil }

func runInsights(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("insights", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	asMD := fs.Bool("md", false, "print the findings as Markdown")
	seg := fs.String("segment", "", "scan only the sessions in this segment")
	question := fs.String("ask", "", `narrow the scan with a sentence, e.g. "mobile visitors from Germany last week"`)
	from := fs.String("from", "", "start of the period (YYYY-MM-DD or RFC 3339); the period of the same length before it is the comparison")
	to := fs.String("to", "", "end of the period (YYYY-MM-DD, inclusive, or RFC 3339)")
	var steps stepList
	fs.Var(&steps, "step", "a funnel step to explain (repeat; default: inferred from the data)")
	minSample := fs.Int("min-sample", 0, "smallest group a claim may rest on (default 30)")
	save := fs.Bool("save", true, "save the findings as drafts in the workspace (edited drafts keep their words)")
	rewordURL := fs.String("reword-url", "", "OpenAI-compatible model server to reword drafts (default: the workspace setting, else off)")
	rewordModel := fs.String("reword-model", "", "model name sent to the reword server")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe insights --workspace F [--json | --md] [--segment EXPR | --ask SENTENCE] [--from D --to D]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *asJSON && *asMD {
		return fmt.Errorf("%w: choose one of --json and --md", errUsage)
	}
	opt := insight.Options{Funnel: steps, MinSample: *minSample, Progress: func(done, total int) {
		fmt.Fprintf(stderr, "read %d of %d sessions…\n", done, total)
	}}
	var err error
	if opt.From, opt.To, err = dayRange(*from, *to); err != nil {
		return err
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	segText := *seg
	if *question != "" {
		if segText, err = readQuestion(ctx, db, *question, segText, &opt, stderr); err != nil {
			return err
		}
	}
	if opt.Segment, err = workspace.ParseSegment(segText); err != nil {
		return fmt.Errorf("in the segment, %w", err)
	}
	client, err := rewordClient(ctx, db, *rewordURL, *rewordModel)
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, "scanning the workspace…")
	var rep *insight.Report
	var drafts []insight.Draft
	if *save {
		svc := insight.Service{DB: db, Reword: client}
		if rep, drafts, err = svc.ScanWith(ctx, opt); err != nil {
			return err
		}
	} else {
		if rep, err = insight.ScanWorkspace(ctx, db, opt); err != nil {
			return err
		}
		drafts = insight.DraftsOf(rep)
		insight.Reword(ctx, client, drafts)
	}
	switch {
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(insightsJSON{Report: rep, Drafts: drafts})
	case *asMD:
		return insight.WriteMarkdown(stdout, rep, drafts, "")
	}
	return printInsights(stdout, rep, drafts)
}

// insightsJSON is the stable --json output: the report (sessions, period,
// funnel, tests, findings) and the drafts as saved, with any edits.
type insightsJSON struct {
	*insight.Report
	Drafts []insight.Draft `json:"drafts"`
}

// readQuestion reads a sentence against the workspace's vocabulary, says
// how it was read, and folds its segment and dates into the scan.
func readQuestion(ctx context.Context, db *workspace.DB, q, segText string, opt *insight.Options, stderr io.Writer) (string, error) {
	v, err := ask.VocabularyOf(ctx, db)
	if err != nil {
		return "", err
	}
	res, err := ask.Parse(q, v, time.Now().UTC())
	if err != nil {
		return "", fmt.Errorf("read the question: %w", err)
	}
	fmt.Fprintln(stderr, res.Reading)
	if len(res.Unknown) > 0 {
		fmt.Fprintf(stderr, "words not understood: %s\n", strings.Join(res.Unknown, ", "))
	}
	if res.Range != nil && opt.From.IsZero() {
		opt.From, opt.To = res.Range.From, res.Range.To
	}
	if a := res.Analysis; a != nil && a.Kind == ask.AnalysisFunnel && len(a.Steps) >= 2 && len(opt.Funnel) == 0 {
		opt.Funnel = a.Steps
	}
	switch {
	case res.Segment == "":
		return segText, nil
	case segText == "":
		return res.Segment, nil
	}
	return "(" + segText + ") and (" + res.Segment + ")", nil
}

// rewordClient is the optional model given by flag or workspace setting;
// with neither it is disabled.
func rewordClient(ctx context.Context, db *workspace.DB, url, model string) (*reword.Client, error) {
	var cfg reword.Config
	if _, err := db.Setting(ctx, rewordSetting, &cfg); err != nil {
		return nil, err
	}
	if url != "" {
		cfg.URL = url
	}
	if model != "" {
		cfg.Model = model
	}
	return reword.New(cfg), nil
}

func printInsights(w io.Writer, rep *insight.Report, drafts []insight.Draft) error {
	fmt.Fprintf(w, "%d sessions scanned", rep.Sessions)
	if len(rep.Funnel) > 0 {
		fmt.Fprintf(w, "; funnel %s", strings.Join(rep.Funnel, " → "))
	}
	fmt.Fprintf(w, "; %d tests\n\n", rep.Tests)
	if rep.Note != "" {
		fmt.Fprintf(w, "%s\n\n", rep.Note)
	}
	if len(drafts) == 0 {
		fmt.Fprintln(w, "Nothing stood out.")
	}
	for i, d := range drafts {
		mark := "·"
		if d.Finding.Significant {
			mark = "★"
		}
		fmt.Fprintf(w, "%s %d. %s  (strength %.2f)\n   %s\n", mark, i+1, d.Title, d.Finding.Strength, d.Body)
		for _, m := range d.Finding.Evidence.Samples {
			fmt.Fprintf(w, "   watch %s\n", m.Link())
		}
		fmt.Fprintln(w)
	}
	return nil
}
