// Package core is Loupe's domain: the sessions, visitors, pages and events an
// analyst works with, and the definitions that turn a recorded rrweb stream
// into facts. Subpackages hold one concept each (rrweb, archive, derive,
// workspace, funnel, heatmap, segment, insight ...).
//
// core imports no Wails, no HTTP server and no S3 client; a test enforces it.
package core

import "time"

// Viewport is the visible size of the page in CSS pixels.
type Viewport struct {
	W int `json:"w"`
	H int `json:"h"`
}

// Session is one recorded visit, summarised. Its JSON form is the stable
// output of `loupe sessions --json` (docs/cli.md).
type Session struct {
	ID           string             `json:"id"`
	Site         string             `json:"site"`
	Visitor      string             `json:"visitor"`
	StartedAt    time.Time          `json:"started_at"`
	DurationMS   int64              `json:"duration_ms"`
	Pages        []string           `json:"pages"`
	URLs         []string           `json:"urls"`
	Pageviews    int                `json:"pageviews"`
	Clicks       int                `json:"clicks"`
	RageClicks   int                `json:"rage_clicks"`
	DeadClicks   int                `json:"dead_clicks"`
	ErrorClicks  int                `json:"error_clicks"`
	JSErrors     int                `json:"js_errors"`
	FailedReqs   int                `json:"failed_requests"`
	MaxScrollPct map[string]float64 `json:"max_scroll_pct"`
	Tags         []string           `json:"tags"`
	Viewport     Viewport           `json:"viewport"`
	Device       string             `json:"device"`
	Browser      string             `json:"browser"`
	OS           string             `json:"os"`
	Country      string             `json:"country"`
	Events       int                `json:"events"`
	// Traits are the identify() traits last seen in the session.
	Traits map[string]string `json:"traits,omitempty"`
	// UserID is the id given to identify(), if any.
	UserID string `json:"user_id,omitempty"`
	// Score ranks sessions worth watching (frustration signals, weighted).
	Score float64 `json:"frustration_score"`
}

// Device classes.
const (
	DeviceDesktop = "desktop"
	DeviceTablet  = "tablet"
	DeviceMobile  = "mobile"
)
