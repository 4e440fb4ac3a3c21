// Package ask turns an English sentence into a segment (in core/segment's
// text syntax) or routes it to an analysis, deterministically: the same
// sentence and vocabulary always give the same reading. Words it does not
// understand are reported, never guessed.
package ask

import (
	"errors"
	"strings"
	"time"
)

// ErrEmpty is returned for a sentence with no words in it.
var ErrEmpty = errors.New("ask: empty sentence")

// Vocabulary is what a workspace calls things: the words a sentence can
// refer to. Parse only recognises pages, elements, events and attribute
// values from it plus a fixed table of synonyms.
type Vocabulary struct {
	Pages     []string  `json:"pages"`     // URL paths, e.g. "/cart"
	Elements  []Element `json:"elements"`  // clicked elements
	Events    []string  `json:"events"`    // custom event names
	Countries []string  `json:"countries"` // ISO 3166 alpha-2 codes
	Devices   []string  `json:"devices"`
	Browsers  []string  `json:"browsers"`
	OS        []string  `json:"os"`
	Tags      []string  `json:"tags"`
}

// Element is a clicked element as the workspace knows it.
type Element struct {
	Selector string `json:"selector"`
	Text     string `json:"text,omitempty"`
}

// DateRange is a half-open time range [From, To).
type DateRange struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// AnalysisKind names an analysis a question can be routed to.
type AnalysisKind string

// Analyses a question can be routed to.
const (
	// AnalysisDropOff explains the drop-off at a funnel step (Step).
	AnalysisDropOff AnalysisKind = "dropoff"
	// AnalysisFunnel evaluates a funnel of Steps.
	AnalysisFunnel AnalysisKind = "funnel"
	// AnalysisFrustration ranks elements by rage, dead and error clicks.
	AnalysisFrustration AnalysisKind = "frustration"
	// AnalysisErrors ranks JS errors and failed requests.
	AnalysisErrors AnalysisKind = "errors"
	// AnalysisHeatmap shows a heatmap of Page.
	AnalysisHeatmap AnalysisKind = "heatmap"
)

// Analysis is a question routed to an analysis rather than a list of
// sessions. Steps use the funnel step syntax (page:/glob, click:sel,
// event:name).
type Analysis struct {
	Kind  AnalysisKind `json:"kind"`
	Step  string       `json:"step,omitempty"`
	Steps []string     `json:"steps,omitempty"`
	Page  string       `json:"page,omitempty"`
}

// Result is the reading of one sentence.
type Result struct {
	// Segment is in core/segment's text syntax; empty means all sessions.
	Segment string `json:"segment"`
	// Range is the date range the sentence named, if any.
	Range *DateRange `json:"range,omitempty"`
	// Analysis is set when the sentence is a question for an analysis;
	// Segment then narrows the sessions it looks at.
	Analysis *Analysis `json:"analysis,omitempty"`
	// Reading says in words what was understood: "I read this as: …".
	Reading string `json:"reading"`
	// Unknown lists the words that were not understood, in order.
	Unknown []string `json:"unknown"`
}

// Parse reads sentence against the vocabulary. now anchors relative dates
// ("last week") and is passed in so that a reading is reproducible.
func Parse(sentence string, v Vocabulary, now time.Time) (Result, error) {
	toks := tokenize(sentence)
	if len(toks) == 0 {
		return Result{}, ErrEmpty
	}
	lex := newLexicon(v)
	items := lex.match(toks)
	res := Result{Unknown: []string{}}
	var c composer
	for _, it := range items {
		if it.kind == kindUnknown {
			res.Unknown = append(res.Unknown, it.text)
		}
	}
	res.Range = dateRange(items, now)
	res.Analysis = route(items)
	conds := c.compose(items)
	res.Segment = renderSegment(conds)
	res.Reading = reading(conds, res.Range, res.Analysis)
	return res, nil
}

// joinWords reads a token run back as text.
func joinWords(ts []token) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.orig
	}
	return strings.Join(parts, " ")
}
