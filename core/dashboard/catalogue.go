// Package dashboard is the workbench's home view: a catalogue of insight
// cards, role templates that start a dashboard, the saved layout, and each
// card's numbers over a period and the one before it. The numbers follow
// core/metric's definitions.
package dashboard

import (
	"errors"
	"maps"
	"strings"
)

// Errors a caller can match with errors.Is.
var (
	// ErrInvalid marks a dashboard or card that cannot be saved or drawn.
	ErrInvalid = errors.New("invalid dashboard")
	// ErrUnknownTemplate marks a template name that is not in Templates.
	ErrUnknownTemplate = errors.New("unknown dashboard template")
)

// kinds maps each card kind the UI knows how to draw to its default title.
var kinds = map[string]string{
	"sessions":       "Sessions",
	"visitors":       "Visitors",
	"avg_duration":   "Average duration",
	"bounce_rate":    "Bounce rate",
	"error_rate":     "Sessions with errors",
	"rage_rate":      "Sessions with rage clicks",
	"sessions_chart": "Sessions per day",
	"top_pages":      "Top pages",
	"top_frustrated": "Top frustrated elements",
	"top_errors":     "Top errors",
	// The conversion of one saved funnel (Card.Funnel; the first saved
	// funnel when empty).
	"funnel_conversion": "Funnel conversion",
}

// CardKinds maps each card kind to its default title.
func CardKinds() map[string]string { return maps.Clone(kinds) }

// Card is one insight card: what it shows and, optionally, the segment
// it is scoped to.
type Card struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Segment string `json:"segment,omitempty"`
	// Funnel names the saved funnel of a funnel_conversion card.
	Funnel string `json:"funnel,omitempty"`
}

// Dashboard is the saved layout: a template name and its ordered cards.
type Dashboard struct {
	Template string `json:"template"`
	Days     int    `json:"days"` // period length
	Cards    []Card `json:"cards"`
}

// Template is a role's starting set of cards.
type Template struct {
	Name  string   `json:"name"`
	About string   `json:"about"`
	Kinds []string `json:"kinds"`
}

var templates = []Template{
	{"Executive", "Traffic and engagement at a glance", []string{"sessions", "visitors", "avg_duration", "bounce_rate", "sessions_chart", "top_pages", "funnel_conversion"}},
	{"Growth", "Where visitors come in and where they leave", []string{"sessions", "visitors", "funnel_conversion", "bounce_rate", "sessions_chart", "top_pages", "avg_duration"}},
	{"Engineering", "Errors and broken interactions", []string{"error_rate", "rage_rate", "sessions", "top_errors", "top_frustrated", "sessions_chart"}},
	{"Product", "How people use the product and where they struggle", []string{"avg_duration", "funnel_conversion", "rage_rate", "bounce_rate", "top_frustrated", "top_pages", "sessions"}},
	{"Digital Ops", "Site health day to day", []string{"sessions", "error_rate", "rage_rate", "bounce_rate", "sessions_chart", "top_errors"}},
}

// DefaultTemplate is the dashboard shown before one is saved.
const DefaultTemplate = "Executive"

// DefaultDays is a new dashboard's period length.
const DefaultDays = 7

// Templates lists the role templates.
func Templates() []Template { return templates }

// FromTemplate builds a dashboard from a role template (case-insensitive
// name); ok is false for an unknown name.
func FromTemplate(name string) (d Dashboard, ok bool) {
	for _, t := range templates {
		if strings.EqualFold(t.Name, name) {
			d := Dashboard{Template: t.Name, Days: DefaultDays}
			for _, k := range t.Kinds {
				d.Cards = append(d.Cards, Card{Kind: k, Title: kinds[k]})
			}
			return d, true
		}
	}
	return Dashboard{}, false
}
