package derive

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Session derives the facts of one session. It never fails on odd input:
// what it cannot interpret is counted in Facts.Uninterpreted.
//
// The header is authoritative for site, session, visitor, user agent and
// country; a plain rrweb import may carry only the session id, and then the
// start time comes from the first event.
func Session(h archive.Header, events []rrweb.Event, defs core.Definitions) *core.Facts {
	st := NewStream(h, Timestamps(events), defs)
	for _, e := range events {
		st.Add(e)
	}
	return st.Facts()
}

// Timestamps lists events' timestamps in order: what a Stream needs to
// know of a session before its events.
func Timestamps(events []rrweb.Event) []int64 {
	ts := make([]int64, len(events))
	for i, e := range events {
		ts[i] = e.Timestamp
	}
	return ts
}

// Stream derives a session's facts from its events given one at a time,
// so that a session far larger than memory can be derived while it is
// read. A session's clock is set from all its timestamps (their median
// decides which are plausible), so those are given first: a reader makes
// one pass for the timestamps (8 bytes an event) and a second for the
// events. Session is NewStream, Add for each event, then Facts.
type Stream struct {
	d   *deriver
	seq int
}

// NewStream starts deriving the session with header h whose events carry
// timestamps, in file order.
func NewStream(h archive.Header, timestamps []int64, defs core.Definitions) *Stream {
	return &Stream{d: newDeriver(h, timestamps, defs)}
}

// Add derives from the session's next event.
func (s *Stream) Add(e rrweb.Event) {
	s.d.event(s.seq, e)
	s.seq++
}

// Facts finishes the session and returns its facts; call it once, after
// the last Add.
func (s *Stream) Facts() *core.Facts {
	s.d.f.Session.Events = s.seq
	s.d.finish()
	return s.d.f
}

// deriver holds the state of one pass over the stream.
type deriver struct {
	f      *core.Facts
	defs   core.Definitions
	h      archive.Header
	clock  clock
	mirror *rrweb.Mirror
	start  time.Time

	page     *pageState // current pageview, nil before the first Meta
	pages    []*pageState
	scrollX  float64 // page scroll, px
	scrollY  float64
	viewport core.Viewport // current, from Meta and resizes

	rect      *rectMark // the last loupe/rect, until a click uses it
	lastInput int       // node id of the previous Input, to fold keystrokes
	clickSeq  []int     // event index of each click, parallel to f.Clicks
	clickText []bool    // the click landed on a text field, parallel to f.Clicks
	clickNav  []bool    // the click may load another page, parallel to f.Clicks
	reactions []mark    // events that show the page reacted (dead clicks)
	metas     []mark    // navigations
	errs      []errMark // JS errors before de-duplication
	kept      []mark    // positions of f.Errors
	moves     moveSampler
	// loupeStream is set once a loupe/* Custom event is seen: the stream
	// comes from Loupe's tracker.
	loupeStream bool
}

// mark is an event position: its index in the stream and its offset.
type mark struct {
	seq int
	at  int64
}

func newDeriver(h archive.Header, timestamps []int64, defs core.Definitions) *deriver {
	d := &deriver{
		f:         &core.Facts{Uninterpreted: map[string]int{}},
		defs:      defs,
		h:         h,
		clock:     newClock(timestamps, defs.SessionMax),
		mirror:    rrweb.NewMirror(),
		lastInput: -1,
	}
	d.start = h.StartedAt
	if d.start.IsZero() && len(timestamps) > 0 {
		d.start = time.UnixMilli(d.clock.start)
	}
	// Offsets stay meaningful with any clock, but a start time no calendar
	// can print (before 1970 or near year 10000) would make the session
	// impossible to store and show: such a recording starts at the epoch.
	if d.start.Before(time.Unix(0, 0)) || d.start.After(latestStart) {
		d.start = time.Unix(0, 0)
		d.f.Uninterpreted["timestamp out of range"]++
	}
	d.start = d.start.UTC()
	d.f.Session = core.Session{
		ID: h.Session, Site: h.Site, Visitor: h.Visitor, StartedAt: d.start,
		Country: h.Country,
	}
	return d
}

// latestStart is the latest session start Loupe accepts: later times
// cannot be written as RFC 3339 once a session's offsets are added.
var latestStart = time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)

func (d *deriver) skip(kind string) { d.f.Uninterpreted[kind]++ }

func (d *deriver) event(seq int, e rrweb.Event) {
	at := d.clock.tick(e)
	switch e.Type {
	case rrweb.Meta:
		d.meta(seq, at, e)
	case rrweb.FullSnapshot:
		s, err := e.DecodeFullSnapshot()
		if err != nil {
			d.skip("unreadable full snapshot")
			return
		}
		d.mirror.ApplyFullSnapshot(s)
		d.pageScroll(s.InitialOffset.Left, s.InitialOffset.Top)
		d.reactions = append(d.reactions, mark{seq, at})
	case rrweb.IncrementalSnapshot:
		d.incremental(seq, at, e)
	case rrweb.Custom:
		d.custom(seq, at, e)
	case rrweb.Plugin:
		d.plugin(seq, at, e)
	case rrweb.DomContentLoaded, rrweb.Load, rrweb.Asset, rrweb.Annotation:
		// Nothing to derive: load markers, inlined assets, annotations.
	default:
		d.skip(fmt.Sprintf("event type %d", int(e.Type)))
	}
}

func (d *deriver) incremental(seq int, at int64, e rrweb.Event) {
	src, ok := rrweb.SourceOf(e)
	if !ok {
		d.skip("unreadable incremental payload")
		return
	}
	switch src {
	case rrweb.SourceMediaInteraction, rrweb.SourceStyleSheetRule, rrweb.SourceCanvasMutation,
		rrweb.SourceStyleDeclaration, rrweb.SourceAdoptedStyleSheet:
		// Visible changes of the page: a click that causes one is not dead.
		// Their payloads hold nothing else to derive, so they stay unread.
		d.reactions = append(d.reactions, mark{seq, at})
		return
	case rrweb.SourceFont, rrweb.SourceLog, rrweb.SourceSelection, rrweb.SourceCustomElement:
		return // replay-only details
	}
	if !src.Known() {
		d.skip(fmt.Sprintf("incremental source %d", int(src)))
		return
	}
	if (src == rrweb.SourceMouseMove || src == rrweb.SourceTouchMove || src == rrweb.SourceDrag) &&
		(d.page == nil || d.page.moves >= maxMovesPerPageview) {
		return // no sample would be kept
	}
	inc, err := e.DecodeIncremental()
	if err != nil {
		d.skip("unreadable " + src.String() + " payload")
		return
	}
	switch src {
	case rrweb.SourceMutation:
		d.mirror.ApplyMutation(inc)
		if len(inc.Adds)+len(inc.Removes)+len(inc.Texts)+len(inc.Attributes) > 0 {
			d.reactions = append(d.reactions, mark{seq, at})
		}
	case rrweb.SourceMouseMove, rrweb.SourceTouchMove, rrweb.SourceDrag:
		d.move(at, inc.Positions)
	case rrweb.SourceMouseInteraction:
		d.interaction(seq, at, inc)
	case rrweb.SourceScroll:
		d.scroll(seq, at, inc)
	case rrweb.SourceViewportResize:
		d.viewport = core.Viewport{W: int(inc.Width), H: int(inc.Height)}
		d.updateDepth()
	case rrweb.SourceInput:
		d.input(seq, at, inc)
	}
}

func (d *deriver) interaction(seq int, at int64, inc rrweb.Incremental) {
	switch inc.Type {
	case rrweb.Click:
		d.click(seq, at, inc)
	case rrweb.Focus:
		// Focusing a text field is the page's answer to a click on it or
		// on its label.
		if el, ok := d.mirror.Element(inc.ID); ok && el.TextEntry {
			d.reactions = append(d.reactions, mark{seq, at})
		}
	}
}

func (d *deriver) click(seq int, at int64, inc rrweb.Incremental) {
	c := core.Click{
		OffsetMS: at, Pageview: d.pageIndex(), Path: d.path(),
		X: finite(inc.X + d.scrollX), Y: finite(inc.Y + d.scrollY), RelX: -1, RelY: -1,
	}
	el, ok := d.mirror.Element(inc.ID)
	if ok {
		c.Selector, c.Tag, c.Text = el.Selector, el.Tag, el.Text
	} else {
		d.skip("click on unknown node")
	}
	if r := d.rect; r != nil && r.id == inc.ID && at-r.at <= rectMaxAgeMS {
		if r.w > 0 {
			c.RelX = clamp01((c.X - r.x) / r.w)
		}
		if r.h > 0 {
			c.RelY = clamp01((c.Y - r.y) / r.h)
		}
		d.rect = nil
	}
	d.f.Clicks = append(d.f.Clicks, c)
	d.clickSeq = append(d.clickSeq, seq)
	d.clickText = append(d.clickText, ok && el.TextEntry)
	d.clickNav = append(d.clickNav, ok && el.Navigates)
}

func (d *deriver) input(seq int, at int64, inc rrweb.Incremental) {
	d.reactions = append(d.reactions, mark{seq, at})
	if inc.UserTriggered != nil && !*inc.UserTriggered {
		return // set by the page's own script, not typed
	}
	if inc.ID == d.lastInput {
		return // the same field still being filled in
	}
	d.lastInput = inc.ID
	in := core.Input{OffsetMS: at, Pageview: d.pageIndex(), Path: d.path()}
	if el, ok := d.mirror.Element(inc.ID); ok {
		in.Selector = el.Selector
	} else {
		d.skip("input on unknown node")
	}
	d.f.Inputs = append(d.f.Inputs, in)
}

func (d *deriver) finish() {
	d.closeTitle()
	end := d.clock.now
	if d.clock.outliers > 0 {
		d.f.Uninterpreted["timestamp out of range"] += d.clock.outliers
	}
	for k, n := range d.mirror.Degraded {
		d.f.Uninterpreted["dom: "+k] += n
	}
	d.finishPages(end)
	d.finishErrors()
	d.markRage()
	d.markDead(end)
	d.markErrorClicks()
	d.summarise(end)
	if len(d.f.Uninterpreted) == 0 {
		d.f.Uninterpreted = nil
	}
}

func (d *deriver) summarise(end int64) {
	s := &d.f.Session
	s.DurationMS = end
	s.Pageviews = len(d.f.Pageviews)
	s.Pages = make([]string, 0, len(d.f.Pageviews))
	s.URLs = make([]string, 0, len(d.f.Pageviews))
	s.MaxScrollPct = map[string]float64{}
	for _, p := range d.f.Pageviews {
		s.Pages = append(s.Pages, p.Path)
		s.URLs = append(s.URLs, p.URL)
		if p.ScrollPct >= 0 && p.ScrollPct >= s.MaxScrollPct[p.Path] {
			s.MaxScrollPct[p.Path] = p.ScrollPct
		}
	}
	if len(d.f.Pageviews) > 0 {
		s.Viewport = d.f.Pageviews[0].Viewport
	}
	s.Clicks = len(d.f.Clicks)
	for _, c := range d.f.Clicks {
		if c.Dead {
			s.DeadClicks++
		}
		if c.Error {
			s.ErrorClicks++
		}
	}
	s.JSErrors = len(d.f.Errors)
	for _, r := range d.f.Requests {
		if r.Failed {
			s.FailedReqs++
		}
	}
	ua := ClassifyUserAgent(d.h.UserAgent)
	s.Browser, s.OS = ua.Browser, ua.OS
	s.Device = DeviceClass(s.Viewport.W, ua)
	s.Tags = tags(d.f)
	s.Score = Score(d.f)
	sort.Strings(s.Tags)
}

// finite keeps a coordinate encodable: recorded numbers can be absurd
// enough to overflow to infinity when added up.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func clamp01(v float64) float64 {
	v = finite(v)
	switch {
	case v < 0:
		return 0
	case v > 1:
		return 1
	}
	return v
}
