package core

import "time"

// Definitions are the thresholds that turn raw events into analytics facts
// (docs/definitions.md). They are configurable per workspace; Default holds the
// documented defaults.
type Definitions struct {
	SessionIdle              time.Duration `json:"session_idle"`       // a session ends after this long without events
	SessionMax               time.Duration `json:"session_max"`        // ... or at this length
	RageClicks               int           `json:"rage_clicks"`        // clicks in a burst
	RageRadiusPx             float64       `json:"rage_radius_px"`     // each within this distance of the first
	RageWindow               time.Duration `json:"rage_window"`        // first to last
	DeadClickWindow          time.Duration `json:"dead_click_window"`  // no reaction within this
	ErrorClickWindow         time.Duration `json:"error_click_window"` // a JS error within this
	QuickBack                time.Duration `json:"quick_back"`         // back to the previous page within this
	ExcessiveScrollReversals int           `json:"excessive_scroll_reversals"`
	ExcessiveScrollWindow    time.Duration `json:"excessive_scroll_window"`
	FunnelWindow             time.Duration `json:"funnel_window"`
}

// Default returns the documented default definitions.
func Default() Definitions {
	return Definitions{
		SessionIdle:              30 * time.Minute,
		SessionMax:               24 * time.Hour,
		RageClicks:               3,
		RageRadiusPx:             30,
		RageWindow:               time.Second,
		DeadClickWindow:          time.Second,
		ErrorClickWindow:         time.Second,
		QuickBack:                7 * time.Second,
		ExcessiveScrollReversals: 4,
		ExcessiveScrollWindow:    10 * time.Second,
		FunnelWindow:             30 * time.Minute,
	}
}
