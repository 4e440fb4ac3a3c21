package core

import "time"

// Facts is everything Loupe derives from one session's rrweb stream
// (core/derive computes it; core/workspace stores it; funnels, heatmaps,
// segments and insights query it). Offsets are milliseconds since the
// session's first event, so facts stay comparable across clock skew.
type Facts struct {
	Session      Session       `json:"session"`
	Pageviews    []Pageview    `json:"pageviews"`
	Clicks       []Click       `json:"clicks"`
	Inputs       []Input       `json:"inputs"`
	Errors       []JSError     `json:"errors"`
	Requests     []Request     `json:"requests"`
	CustomEvents []CustomEvent `json:"custom_events"`
	Feedback     []Feedback    `json:"feedback"`
	// Moves are mouse positions, sampled, for the movement heatmap.
	Moves []Point `json:"moves"`
	// Uninterpreted counts what the deriver saw but could not interpret,
	// by kind ("event type 42", "mutation under missing parent" ...), so an
	// import can say what it skipped instead of failing.
	Uninterpreted map[string]int `json:"uninterpreted,omitempty"`
}

// Pageview is one page load or SPA navigation (an rrweb Meta event).
type Pageview struct {
	Index    int       `json:"index"`
	URL      string    `json:"url"`
	Path     string    `json:"path"` // no query or fragment
	Title    string    `json:"title,omitempty"`
	At       time.Time `json:"at"`
	OffsetMS int64     `json:"offset_ms"`
	DwellMS  int64     `json:"dwell_ms"`
	Viewport Viewport  `json:"viewport"`
	// DocHeight is the document height in px when known (Loupe's tracker
	// sends it); 0 when unknown, and then ScrollPct is -1.
	DocHeight       int     `json:"doc_height"`
	MaxScrollY      float64 `json:"max_scroll_y"`
	ScrollPct       float64 `json:"scroll_pct"`
	QuickBack       bool    `json:"quick_back"`
	ExcessiveScroll bool    `json:"excessive_scroll"`
}

// Click is one click, resolved to its element through the DOM mirror.
type Click struct {
	OffsetMS int64   `json:"offset_ms"`
	Pageview int     `json:"pageview"`
	Path     string  `json:"path"`
	X        float64 `json:"x"` // page coordinates (viewport + scroll)
	Y        float64 `json:"y"`
	Selector string  `json:"selector"`
	Tag      string  `json:"tag"`
	Text     string  `json:"text,omitempty"`
	// RelX, RelY place the click inside its element's box (0..1), so a
	// heatmap lands on the element at any viewport width; -1 when unknown.
	RelX  float64 `json:"rel_x"`
	RelY  float64 `json:"rel_y"`
	Rage  bool    `json:"rage"`
	Dead  bool    `json:"dead"`
	Error bool    `json:"error"`
}

// Input is a change to a form field (its value is never kept).
type Input struct {
	OffsetMS int64  `json:"offset_ms"`
	Pageview int    `json:"pageview"`
	Path     string `json:"path"`
	Selector string `json:"selector"`
}

// JSError is an uncaught error, an unhandled rejection or a console error.
type JSError struct {
	OffsetMS int64  `json:"offset_ms"`
	Pageview int    `json:"pageview"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	Source   string `json:"source,omitempty"`
	Stack    string `json:"stack,omitempty"`
}

// Request is one fetch or XHR.
type Request struct {
	OffsetMS   int64  `json:"offset_ms"`
	Pageview   int    `json:"pageview"`
	Path       string `json:"path"`
	Method     string `json:"method"`
	URL        string `json:"url"`
	Status     int    `json:"status"` // 0 for a network error
	DurationMS int64  `json:"duration_ms"`
	Failed     bool   `json:"failed"`
}

// CustomEvent is a loupe.event(name, props) call.
type CustomEvent struct {
	OffsetMS int64          `json:"offset_ms"`
	Pageview int            `json:"pageview"`
	Path     string         `json:"path"`
	Name     string         `json:"name"`
	Props    map[string]any `json:"props,omitempty"`
}

// Feedback is a response to the in-page feedback prompt.
type Feedback struct {
	OffsetMS int64  `json:"offset_ms"`
	Pageview int    `json:"pageview"`
	Path     string `json:"path"`
	Kind     string `json:"kind"` // "csat" (1-5) or "nps" (0-10)
	Score    int    `json:"score"`
	Comment  string `json:"comment,omitempty"`
}

// Point is a sampled position on a page, in page coordinates.
type Point struct {
	Pageview int     `json:"pageview"`
	Path     string  `json:"path"`
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
}
