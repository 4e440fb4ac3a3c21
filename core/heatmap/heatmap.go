// Package heatmap aggregates where people click, rage-click, move and how
// far they scroll on a page (a path glob) for one device class: data for
// the workbench UI (JSON) and a PNG over a neutral page outline.
//
// Clicks carry both raw page coordinates and their position inside the
// clicked element (selector, rel_x, rel_y), so the UI can place them on the
// element at any viewport width; the PNG uses page coordinates scaled to
// one reference width.
package heatmap

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// Kind is what a heatmap shows.
type Kind string

// Heatmap kinds.
const (
	Clicks Kind = "click"
	Rage   Kind = "rage"
	Moves  Kind = "move"
	Scroll Kind = "scroll"
)

// ErrInvalidQuery marks a heatmap query that cannot run.
var ErrInvalidQuery = errors.New("invalid heatmap query")

// Query selects the pageviews a heatmap covers.
type Query struct {
	// Page is a path glob (* and ? as in segments and funnels).
	Page string `json:"page"`
	// Device is desktop, tablet or mobile; empty means every device.
	Device string `json:"device,omitempty"`
	Kind   Kind   `json:"kind,omitempty"`
	// Segment narrows the sessions (nil: all).
	Segment segment.Expr `json:"-"`
	// From and To keep sessions started in [From, To) (zero: open end).
	From time.Time `json:"-"`
	To   time.Time `json:"-"`
}

// Normalize checks q and fills in the default kind (clicks).
func (q Query) Normalize() (Query, error) {
	if q.Page == "" {
		return q, fmt.Errorf("%w: no page", ErrInvalidQuery)
	}
	switch q.Kind {
	case "":
		q.Kind = Clicks
	case Clicks, Rage, Moves, Scroll:
	default:
		return q, fmt.Errorf("%w: unknown kind %q (want click, scroll, move or rage)", ErrInvalidQuery, q.Kind)
	}
	return q, nil
}

// Data is a heatmap, ready for the UI or RenderPNG.
type Data struct {
	Page      string `json:"page"`
	Device    string `json:"device,omitempty"`
	Kind      Kind   `json:"kind"`
	Sessions  int    `json:"sessions"`
	Pageviews int    `json:"pageviews"`
	// Width is the reference page width in px (the median viewport width
	// of the pageviews); Height the tallest known document height, or the
	// lowest point when no height is known.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Points are clicks (click and rage kinds) or mouse positions (move).
	Points []Point `json:"points"`
	// Moves is how many mouse positions the move kind found; past
	// MaxMovePoints, Points holds an even sample of them.
	Moves int `json:"moves,omitempty"`
	// Clicks is how many clicks the click kind found; past
	// MaxClickPoints, Points holds an even sample of them (Elements
	// counts them all).
	Clicks int `json:"clicks,omitempty"`
	// Scroll has 20 bands: the share of pageviews (with a known document
	// height) that reached 5 %, 10 %, ... 100 % of the page.
	Scroll []Band `json:"scroll"`
	// ScrollUnknown counts pageviews without a known document height.
	ScrollUnknown int `json:"scroll_unknown"`
	// Elements ranks clicked elements by clicks.
	Elements []Element `json:"elements"`
}

// Point is one click or mouse position.
type Point struct {
	X float64 `json:"x"` // page coordinates
	Y float64 `json:"y"`
	// VW is the viewport width the point was recorded at, to rescale X.
	VW       int     `json:"vw"`
	Selector string  `json:"selector,omitempty"`
	RelX     float64 `json:"rel_x"` // inside the element's box, 0..1; -1 unknown
	RelY     float64 `json:"rel_y"`
}

// Band is one scroll-depth band.
type Band struct {
	Pct       int     `json:"pct"` // depth reached: 5, 10, ... 100
	Pageviews int     `json:"pageviews"`
	Share     float64 `json:"share"`
}

// Element is one clicked element's frustration profile.
type Element struct {
	Selector string `json:"selector"`
	Clicks   int    `json:"clicks"`
	Rage     int    `json:"rage"`
	Dead     int    `json:"dead"`
	Error    int    `json:"error"`
}

// Accumulator builds Data from rows fed in any order of sessions; the
// reference (FromFacts) and the workspace feed it the same rows.
type Accumulator struct {
	q        Query
	sessions map[string]bool
	last     string // the session of the last pageview, in sessions
	counted  int    // sessions counted by CountSession, not in sessions
	widths   []int
	d        Data
	elements map[string]*Element
	deepest  [21]int // pageviews by how many scroll bands they reached
	// moveStride keeps every moveStride-th mouse position (ExpectMoves);
	// lowestMove is the lowest of them all, kept or not.
	moveStride int
	lowestMove float64
	// clickStride keeps every clickStride-th click (ExpectClicks).
	clickStride int
}

// NewAccumulator starts a heatmap for a normalized query.
func NewAccumulator(q Query) *Accumulator {
	return &Accumulator{q: q, sessions: map[string]bool{}, elements: map[string]*Element{},
		d: Data{Page: q.Page, Device: q.Device, Kind: q.Kind, Points: []Point{}, Elements: []Element{}}}
}

// AddPageview counts one matching pageview; scrollPct < 0 or docHeight
// <= 0 means the depth is unknown.
func (a *Accumulator) AddPageview(session string, vw, docHeight int, scrollPct float64) {
	// Pageviews mostly come a session at a time: the set is touched
	// once per session, not once per pageview.
	if session != a.last || len(a.sessions) == 0 {
		a.sessions[session] = true
		a.last = session
	}
	a.AddSessionPageview(vw, docHeight, scrollPct)
}

// CountSession counts one session, for a caller that hands over each
// session once with all its pageviews (the workspace reads them in id
// order): it adds them with AddSessionPageview and spares the set of ids
// AddPageview keeps, a tenth of a busy heatmap's time.
func (a *Accumulator) CountSession() { a.counted++ }

// AddSessionPageview counts one matching pageview of the session last
// counted by CountSession (or last named to AddPageview).
func (a *Accumulator) AddSessionPageview(vw, docHeight int, scrollPct float64) {
	a.d.Pageviews++
	a.widths = append(a.widths, vw)
	if docHeight > a.d.Height {
		a.d.Height = docHeight
	}
	if docHeight <= 0 || scrollPct < 0 {
		a.d.ScrollUnknown++
		return
	}
	// deepest is how many bands the pageview reached. Division rounds
	// monotonically and every band's bound 5·k and k itself are exact,
	// so scrollPct/5 >= k exactly when scrollPct >= 5·k
	// (TestScrollBandsAtTheirBounds tries the doubles next to each).
	deepest := 0
	if scrollPct >= 5 { // false for NaN too
		deepest = int(min(scrollPct/5, 20))
	}
	a.deepest[deepest]++
}

// Reserve makes room for about as many more pageviews as the caller
// knows are coming: growing the slice by doubling was a large part of a
// heatmap of 100k sessions.
func (a *Accumulator) Reserve(pageviews int) {
	a.widths = slices.Grow(a.widths, max(pageviews, 0))
}

// AddClick counts one click on a matching page.
func (a *Accumulator) AddClick(p Point, rage, dead, errClick bool) {
	e := a.elements[p.Selector]
	if e == nil {
		e = &Element{Selector: p.Selector}
		a.elements[p.Selector] = e
	}
	e.Clicks++
	if rage {
		e.Rage++
	}
	if dead {
		e.Dead++
	}
	if errClick {
		e.Error++
	}
	a.AddClickPoint(p, rage)
}

// WantsClickPoints reports whether this kind of heatmap draws clicks
// (click and rage kinds); the others only count them by element.
func (a *Accumulator) WantsClickPoints() bool { return a.q.Kind == Clicks || a.q.Kind == Rage }

// AddClickPoint adds where a click landed, for a caller that counts
// clicks by element itself (by selector id, without a map lookup per
// click) and hands over the totals with AddElement.
func (a *Accumulator) AddClickPoint(p Point, rage bool) {
	switch {
	case a.q.Kind == Clicks:
		if a.clickStride <= 1 || a.d.Clicks%a.clickStride == 0 {
			a.d.Points = append(a.d.Points, p)
		}
		a.d.Clicks++
	case a.q.Kind == Rage && rage:
		a.d.Points = append(a.d.Points, p)
	}
}

// MaxClickPoints bounds the clicks a click heatmap returns, as
// MaxMovePoints bounds the mouse positions: a busy page pattern has
// hundreds of thousands (196,746 for /products/* over 100k generated
// sessions, 16 MB of JSON), more than the view draws. Past it an even
// sample is kept, every k-th click in recorded order; the elements count
// every click. Rage clicks are a few of them and are never sampled. A
// variable so tests can sample small heatmaps.
var MaxClickPoints = 100_000

// ExpectClicks tells a click heatmap's accumulator how many clicks will
// be added, before the first: it makes room for those it will keep, and
// past MaxClickPoints it keeps every k-th. Without it every click is
// kept.
func (a *Accumulator) ExpectClicks(n int) {
	if a.q.Kind != Clicks || n <= 0 {
		return
	}
	a.clickStride = a.reserveSample(n, MaxClickPoints)
}

// reserveSample is the k of an even sample of at most limit of n points,
// every k-th kept, with room made for the points it keeps.
func (a *Accumulator) reserveSample(n, limit int) (k int) {
	k = max(1, (n+limit-1)/limit)
	a.d.Points = slices.Grow(a.d.Points, (n+k-1)/k)
	return k
}

// AddElement adds clicks counted by the caller to an element's profile.
func (a *Accumulator) AddElement(c Element) {
	e := a.elements[c.Selector]
	if e == nil {
		e = &Element{Selector: c.Selector}
		a.elements[c.Selector] = e
	}
	e.Clicks += c.Clicks
	e.Rage += c.Rage
	e.Dead += c.Dead
	e.Error += c.Error
}

// MaxMovePoints bounds the mouse positions a move heatmap returns. A busy
// page pattern records millions (1.5 million for /products/* over 100k
// generated sessions, about 80 MB), more than the view can draw; beyond
// this many an even sample is kept, every k-th position in recorded
// order, which leaves the picture of where the mouse went as it is. A
// variable so tests can sample small heatmaps.
var MaxMovePoints = 100_000

// ExpectMoves tells the accumulator how many mouse positions will be
// added, before the first AddMove: it makes room for those it will keep,
// and past MaxMovePoints it keeps every k-th. Without it every position
// is kept.
func (a *Accumulator) ExpectMoves(n int) {
	if a.q.Kind != Moves || n <= 0 {
		return
	}
	a.moveStride = a.reserveSample(n, MaxMovePoints)
}

// AddMove adds one mouse position (move heatmaps only).
func (a *Accumulator) AddMove(p Point) {
	if a.q.Kind != Moves {
		return
	}
	if a.moveStride <= 1 || a.d.Moves%a.moveStride == 0 {
		a.d.Points = append(a.d.Points, p)
	}
	a.d.Moves++
	a.lowestMove = max(a.lowestMove, p.Y)
}

// AddMovesAt adds mouse positions of one viewport width in recorded
// order, xy holding x0, y0, x1, y1, ...: the same as an AddMove for each,
// without building the positions the sample leaves out (a busy page
// pattern has fifteen of them for each one kept).
func (a *Accumulator) AddMovesAt(vw int, xy []int32) {
	if a.q.Kind != Moves {
		return
	}
	n := len(xy) / 2
	step, first := 1, 0
	if a.moveStride > 1 {
		step = a.moveStride
		first = (step - a.d.Moves%step) % step
	}
	pts := a.d.Points
	for i := first; i < n; i += step {
		pts = append(pts, Point{X: float64(xy[2*i]), Y: float64(xy[2*i+1]), VW: vw, RelX: -1, RelY: -1})
	}
	a.d.Points = pts
	if n > 0 {
		lowest := xy[1]
		for i := 3; i < len(xy); i += 2 {
			if xy[i] > lowest {
				lowest = xy[i]
			}
		}
		a.lowestMove = max(a.lowestMove, float64(lowest))
	}
	a.d.Moves += n
}

// TakeMoves takes over the mouse positions another accumulator of the
// same query gathered (ExpectMoves and AddMove), in place of any of a's
// own: the workspace gathers them on a second core while it adds the
// pageviews and clicks.
func (a *Accumulator) TakeMoves(from *Accumulator) {
	if a.q.Kind != Moves {
		return
	}
	a.d.Points, a.d.Moves = from.d.Points, from.d.Moves
	a.moveStride, a.lowestMove = from.moveStride, from.lowestMove
}

// Data finishes the heatmap.
func (a *Accumulator) Data() *Data {
	d := a.d
	d.Sessions = len(a.sessions) + a.counted
	if len(a.widths) > 0 {
		w := append([]int(nil), a.widths...)
		slices.Sort(w)
		d.Width = w[(len(w)-1)/2]
	}
	if d.Height == 0 {
		for _, p := range d.Points {
			d.Height = max(d.Height, int(p.Y)+100)
		}
		if d.Moves > 0 {
			d.Height = max(d.Height, int(a.lowestMove)+100)
		}
	}
	known := d.Pageviews - d.ScrollUnknown
	var reached [20]int
	for n := 19; n >= 0; n-- {
		reached[n] = a.deepest[n+1]
		if n < 19 {
			reached[n] += reached[n+1]
		}
	}
	d.Scroll = make([]Band, 20)
	for i, n := range reached {
		d.Scroll[i] = Band{Pct: 5 * (i + 1), Pageviews: n}
		if known > 0 {
			d.Scroll[i].Share = float64(int(float64(n)/float64(known)*10000+0.5)) / 10000
		}
	}
	for _, e := range a.elements {
		d.Elements = append(d.Elements, *e)
	}
	sort.Slice(d.Elements, func(i, j int) bool {
		x, y := d.Elements[i], d.Elements[j]
		if x.Clicks != y.Clicks {
			return x.Clicks > y.Clicks
		}
		return x.Selector < y.Selector
	})
	return &d
}
