// Package insight scans a workspace and drafts findings in plain English:
// where the funnel loses people and who is over-represented among them,
// the elements with the most rage, dead and error clicks, errors that go
// with abandonment, pages whose scroll depth, dwell or quick backs
// changed, and new or spiking tags. Every claim of a difference passes a
// significance test corrected for the number of tests run, on groups of at
// least Options.MinSample sessions; with no real effect in the data
// nothing is claimed.
package insight

import (
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// Kind names what a finding is about.
type Kind string

// Finding kinds.
const (
	KindFunnelStep   Kind = "funnel_step"   // the step that loses most people
	KindDropSegment  Kind = "drop_segment"  // a group over-represented among those who drop off
	KindFrustration  Kind = "frustration"   // an element with rage, dead or error clicks
	KindConcentrated Kind = "concentrated"  // an element's frustration concentrated in one group
	KindErrorAbandon Kind = "error_abandon" // a JS error or failed request that goes with abandonment
	KindScroll       Kind = "scroll_change" // a page's scroll depth changed
	KindDwell        Kind = "dwell_change"  // a page's dwell time changed
	KindQuickBack    Kind = "quick_back"    // a page people leave straight back
	KindTag          Kind = "tag_spike"     // a new or spiking tag
)

// Finding is one drafted insight.
type Finding struct {
	// Key identifies the finding across scans (kind and subject), so a
	// rescan updates a saved draft instead of adding a copy.
	Key       string   `json:"key"`
	Kind      Kind     `json:"kind"`
	Title     string   `json:"title"`
	Sentences []string `json:"sentences"`
	Evidence  Evidence `json:"evidence"`
	// Strength orders findings, 0..1. Significant findings rank above
	// descriptive ones.
	Strength float64 `json:"strength"`
	// Significant is true when the finding claims a difference that passed
	// its test; descriptive findings ("the step that loses most") are not.
	Significant bool `json:"significant"`
	// PValue is the test's p-value before correction (1 when untested),
	// Test names the test.
	PValue float64 `json:"p_value"`
	Test   string  `json:"test,omitempty"`
	// Segment reproduces the finding's group in the segment syntax, when
	// it has one, so the UI can open those sessions.
	Segment string `json:"segment,omitempty"`
}

// Evidence backs a finding.
type Evidence struct {
	Figures []Figure `json:"figures"`
	// Samples are 3-5 sessions at the moment that shows the finding.
	Samples []Moment `json:"samples"`
	// Chart is a small series to draw (bars by label).
	Chart *Chart `json:"chart,omitempty"`
	// Page and Selector say where a heatmap crop should look.
	Page     string `json:"page,omitempty"`
	Selector string `json:"selector,omitempty"`
}

// Figure is one number of the evidence.
type Figure struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"` // "%", "sessions", "ms", "x", "clicks", "errors", "pp"
}

// Moment is a session at a point in its replay.
type Moment struct {
	Session  string `json:"session"`
	OffsetMS int64  `json:"offset_ms"`
	Note     string `json:"note,omitempty"`
}

// Link is the workbench address of the moment. The session id is
// percent-encoded: ids come from imported file names and may hold any
// character, and the link is written into Markdown and HTML.
func (m Moment) Link() string {
	return "#/sessions/" + pathSegment(m.Session) + "?t=" + itoa(m.OffsetMS)
}

// pathSegment percent-encodes everything but RFC 3986 unreserved
// characters, so the result is inert in a URL path, a query, a Markdown
// link destination and an HTML attribute alike. (url.PathEscape keeps
// parentheses and quotes, which end a Markdown link.) The workbench reads
// it back with decodeURIComponent.
func pathSegment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// Chart is a bar chart of labelled values.
type Chart struct {
	Title  string    `json:"title"`
	Unit   string    `json:"unit,omitempty"`
	Labels []string  `json:"labels"`
	Values []float64 `json:"values"`
}

// Options narrow and tune a scan.
type Options struct {
	// Segment narrows the sessions scanned (nil: all).
	Segment segment.Expr
	// From and To bound the period scanned; the period of the same length
	// before it is the comparison. Zero means all the data, with changes
	// measured between its second half and its first.
	From, To time.Time
	// Funnel is the funnel to explain (step syntax); empty means inferred
	// from the data (the pages most converting sessions pass on the way to
	// a purchase event or a thank-you page).
	Funnel []string
	// MinSample is the smallest group a claim may rest on (default 30).
	MinSample int
	// Alpha is the family-wise significance level (default 0.01); it is
	// divided by the number of tests a scan runs (Bonferroni).
	Alpha float64
	// MinLift is the smallest ratio worth a claim (default 1.25).
	MinLift float64
	// Max bounds the number of findings (default 20).
	Max int
	// Progress, if set, hears how loading a workspace goes.
	Progress func(done, total int) `json:"-"`
}

func (o Options) withDefaults() Options {
	if o.MinSample <= 0 {
		o.MinSample = 30
	}
	if o.Alpha <= 0 {
		o.Alpha = 0.01
	}
	if o.MinLift <= 1 {
		o.MinLift = 1.25
	}
	if o.Max <= 0 {
		o.Max = 20
	}
	return o
}

// Report is the outcome of a scan.
type Report struct {
	Sessions int       `json:"sessions"` // sessions scanned in the period
	Previous int       `json:"previous"` // sessions in the comparison period
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	// Funnel is the funnel the drop-off findings explain.
	Funnel []string `json:"funnel"`
	Tests  int      `json:"tests"` // significance tests run
	// Note says, when the scan was too small for tests, that its findings
	// only count what happened.
	Note     string    `json:"note,omitempty"`
	Findings []Finding `json:"findings"`
}
