package generate

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/loupe-dev/loupe/core"
)

// builder accumulates one session's facts page by page.
type builder struct {
	r   *rand.Rand
	o   Options
	p   profile
	f   *core.Facts
	now int64 // ms since the session's start
	// motion holds, per pageview index, the scroll keyframes and mouse
	// move times the rrweb stream needs to say what the facts say.
	motion map[int]*motion
}

// motion is one pageview's scrolling and mouse movement over time.
type motion struct {
	scrolls   []keyframe // scroll position (page y of the viewport top) over time
	moveTimes []int64    // parallel to the pageview's entries in Facts.Moves
}

type keyframe struct {
	at int64
	y  float64
}

// emitted are the scroll keyframes a recording shows: only changes of
// position (rrweb records scroll events, not stillness).
func (m *motion) emitted() []keyframe {
	var out []keyframe
	y := 0.0
	for _, k := range m.scrolls {
		if k.y != y {
			out = append(out, k)
			y = k.y
		}
	}
	return out
}

// scrollAt is the scroll position at time t: the last keyframe at or
// before t, 0 before the first.
func (m *motion) scrollAt(t int64) float64 {
	y := 0.0
	for _, k := range m.scrolls {
		if k.at > t {
			break
		}
		y = k.y
	}
	return y
}

// layoutScale is how much taller a page gets at a viewport width: narrow
// layouts stack columns.
func layoutScale(vw int) float64 {
	sx := float64(vw) / 1280
	return 1 + (1/sx-1)*0.45
}

// Frustration score weights (frustration per signal, roughly how much
// each tells an analyst a session is worth watching).
const (
	scoreRage      = 3
	scoreError     = 2
	scoreDead      = 1
	scoreJSError   = 1
	scoreFailed    = 1
	scoreQuickBack = 1
	scoreExcessive = 1
)

func (b *builder) scaleX() float64 { return float64(b.p.vw) / 1280 }

// clickOn records a click on element e at the given time.
func (b *builder) clickOn(pv *core.Pageview, e element, yScale float64, at int64) *core.Click {
	sx := b.scaleX()
	relX := clamp(0.5+b.r.NormFloat64()*0.18, 0.02, 0.98)
	relY := clamp(0.5+b.r.NormFloat64()*0.18, 0.02, 0.98)
	x := (e.x + relX*e.w) * sx
	y := (e.y + relY*e.h) * yScale
	b.f.Clicks = append(b.f.Clicks, core.Click{
		OffsetMS: at, Pageview: pv.Index, Path: pv.Path, X: round1(x), Y: round1(y),
		Selector: e.selector(), Tag: e.tag, Text: e.text, RelX: round3(relX), RelY: round3(relY), Dead: e.dead,
	})
	return &b.f.Clicks[len(b.f.Clicks)-1]
}

// pageview records a page: its clicks, inputs, events, errors, requests,
// moves and scrolling; next is where the visitor goes after it.
func (b *builder) pageview(path, next string, quickBack bool) {
	r, f := b.r, b.f
	kind := pageKind(path)
	yScale := layoutScale(b.p.vw)
	docH := int(float64(docHeights[kind]) * yScale)
	pv := core.Pageview{
		Index: len(f.Pageviews), URL: "https://shop.example" + path, Path: path, Title: titleOf(kind),
		At: f.Session.StartedAt.Add(msDuration(b.now)), OffsetMS: b.now,
		Viewport: core.Viewport{W: b.p.vw, H: b.p.vh}, DocHeight: docH,
	}
	dwell := int64(2000 + r.ExpFloat64()*18000)
	if quickBack {
		dwell = 1000 + r.Int64N(5000)
	}
	if next == "/thanks" || next == "/checkout" {
		dwell += 10000
	}
	end := b.now + dwell
	t := b.now + 300 + r.Int64N(700)
	els := elementsOf(path)
	firstClick := len(f.Clicks)
	f.Requests = append(f.Requests, b.request(&pv, "GET", apiFor(kind), t))

	// Browsing clicks on whatever is there.
	for n := r.IntN(3); n > 0 && t < end-1500; n-- {
		t += 500 + r.Int64N(3000)
		e := els[r.IntN(len(els))]
		if e.input {
			continue
		}
		b.clickOn(&pv, e, yScale, t)
	}
	// A rage burst: three to five quick clicks on one spot.
	if r.Float64() < 0.03 && t < end-2000 {
		e := els[r.IntN(len(els))]
		t += 400
		first := b.clickOn(&pv, e, yScale, t)
		first.Rage = true
		for k := 2 + r.IntN(3); k > 0; k-- {
			t += 120 + r.Int64N(120)
			c := *first
			c.OffsetMS = t
			c.X, c.Y = round1(first.X+r.Float64()*8-4), round1(first.Y+r.Float64()*8-4)
			c.RelX = round3(first.RelX + (c.X-first.X)/(e.w*b.scaleX()))
			c.RelY = round3(first.RelY + (c.Y-first.Y)/(e.h*yScale))
			f.Clicks = append(f.Clicks, c)
		}
		f.Session.RageClicks++
	}
	b.pageActions(&pv, kind, next, yScale, &t)
	end = max(end, t+500)
	if r.Float64() < 0.01 {
		f.Errors = append(f.Errors, core.JSError{OffsetMS: min(t+50, end), Pageview: pv.Index, Path: path,
			Message: "ResizeObserver loop completed with undelivered notifications", Source: "https://shop.example/app.js"})
	}

	// Scrolling: the viewport moves to each clicked element shortly
	// before the click, then on to the deepest point read.
	vh := float64(b.p.vh)
	maxScroll := math.Max(0, float64(docH-b.p.vh))
	m := &motion{}
	for _, c := range f.Clicks[firstClick:] {
		m.scrolls = append(m.scrolls, keyframe{c.OffsetMS - 200, math.Round(clamp(c.Y-vh/2, 0, maxScroll))})
	}
	depth := math.Round(maxScroll * math.Min(1, r.Float64()*1.3))
	for _, k := range m.scrolls {
		depth = math.Max(depth, k.y)
	}
	pv.ExcessiveScroll = r.Float64() < 0.02 && depth > 400
	if pv.ExcessiveScroll {
		// Up and down and up again: six reversals within the page's last
		// six seconds (or less, on a short visit), never before it began.
		from := max(b.now+200, end-6000)
		gap := (end - 400 - from) / 7
		pv.ExcessiveScroll = gap >= 50
		for i := int64(0); pv.ExcessiveScroll && i < 7; i++ {
			m.scrolls = append(m.scrolls, keyframe{from + i*gap, depth - float64(i%2)*300})
		}
	}
	m.scrolls = append(m.scrolls, keyframe{end - 300, depth})
	sort.SliceStable(m.scrolls, func(i, j int) bool { return m.scrolls[i].at < m.scrolls[j].at })
	pv.MaxScrollY = depth
	pv.ScrollPct = math.Min(100, math.Round((depth+vh)/float64(docH)*1000)/10)
	if b.p.device == core.DeviceDesktop {
		n := 8 + r.IntN(20)
		for k := 1; k <= n; k++ {
			at := b.now + (end-b.now)*int64(k)/int64(n+1)
			m.moveTimes = append(m.moveTimes, at)
			f.Moves = append(f.Moves, core.Point{Pageview: pv.Index, Path: path,
				X: math.Round(r.Float64() * float64(b.p.vw)), Y: math.Round(m.scrollAt(at) + r.Float64()*vh)})
		}
	}
	b.motion[pv.Index] = m
	pv.DwellMS = end - b.now
	if pv.ScrollPct > f.Session.MaxScrollPct[path] {
		f.Session.MaxScrollPct[path] = pv.ScrollPct
	}
	f.Pageviews = append(f.Pageviews, pv)
	b.now = end
}

// pageActions does what moves the visitor on: add to cart, check out, pay.
func (b *builder) pageActions(pv *core.Pageview, kind, next string, yScale float64, t *int64) {
	r, f := b.r, b.f
	find := func(sel string) element {
		for _, e := range elementsOf(pv.Path) {
			if e.selector() == sel {
				return e
			}
		}
		panic("generate: no element " + sel)
	}
	step := func() int64 {
		*t += 800 + r.Int64N(2500)
		return *t
	}
	event := func(name string, props map[string]any) {
		f.CustomEvents = append(f.CustomEvents, core.CustomEvent{OffsetMS: step(), Pageview: pv.Index, Path: pv.Path, Name: name, Props: props})
	}
	switch kind {
	case "/products/*":
		event("view_product", map[string]any{"slug": pv.Path[len("/products/"):]})
		if next == "/cart" {
			b.clickOn(pv, find("button.add-to-cart"), yScale, step())
			event("add_to_cart", map[string]any{"slug": pv.Path[len("/products/"):]})
			f.Requests = append(f.Requests, b.request(pv, "POST", "/api/cart", step()))
			b.clickOn(pv, find("a.nav-cart"), yScale, step())
		}
	case "/products":
		if r.Float64() < 0.15 {
			f.Inputs = append(f.Inputs, core.Input{OffsetMS: step(), Pageview: pv.Index, Path: pv.Path, Selector: "#sort"})
		}
	case "/cart":
		if r.Float64() < 0.1 {
			f.Inputs = append(f.Inputs, core.Input{OffsetMS: step(), Pageview: pv.Index, Path: pv.Path, Selector: "#coupon"})
		}
		if next == "/checkout" {
			b.clickOn(pv, find("button.checkout"), yScale, step())
		}
	case "/checkout":
		event("begin_checkout", nil)
		fields := []string{"#email", "#name", "#card"}
		if next != "/thanks" {
			fields = fields[:r.IntN(4)]
		}
		for _, sel := range fields {
			b.clickOn(pv, find(sel), yScale, step())
			f.Inputs = append(f.Inputs, core.Input{OffsetMS: step(), Pageview: pv.Index, Path: pv.Path, Selector: sel})
		}
		if next == "/thanks" || r.Float64() < 0.3 {
			pay := b.clickOn(pv, find("#pay"), yScale, step())
			if r.Float64() < b.o.Effects.CheckoutErrorRate {
				pay.Error = true
				f.Errors = append(f.Errors, core.JSError{OffsetMS: pay.OffsetMS + 40 + r.Int64N(300), Pageview: pv.Index, Path: pv.Path,
					Message: "TypeError: Cannot read properties of undefined (reading 'total')", Source: "https://shop.example/checkout.js",
					Stack: "at pay (checkout.js:88:14)"})
			}
			f.Requests = append(f.Requests, b.request(pv, "POST", "/api/checkout", step()))
		}
	case "/thanks":
		event("purchase", map[string]any{"value": float64(10 + r.IntN(190))})
	}
}

func (b *builder) request(pv *core.Pageview, method, path string, at int64) core.Request {
	req := core.Request{OffsetMS: at, Pageview: pv.Index, Path: pv.Path, Method: method,
		URL: "https://shop.example" + path, Status: 200, DurationMS: 30 + b.r.Int64N(400)}
	if b.r.Float64() < b.o.Effects.FailedRequestRate {
		req.Failed = true
		req.Status = pick(b.r, []weighted[int]{{500, 50}, {503, 20}, {404, 10}, {0, 20}})
	}
	return req
}

// finish fills the session summary from the facts.
func (b *builder) finish() {
	f := b.f
	s := &f.Session
	sort.SliceStable(f.Clicks, func(i, j int) bool { return f.Clicks[i].OffsetMS < f.Clicks[j].OffsetMS })
	sort.SliceStable(f.Errors, func(i, j int) bool { return f.Errors[i].OffsetMS < f.Errors[j].OffsetMS })
	sort.SliceStable(f.Requests, func(i, j int) bool { return f.Requests[i].OffsetMS < f.Requests[j].OffsetMS })
	s.DurationMS = b.now
	s.Pageviews = len(f.Pageviews)
	s.Clicks = len(f.Clicks)
	// A quick back is any u-turn A → B → A with a short stay on B, planned
	// or not (docs/definitions.md), so the flags follow the pages as visited.
	window := core.Default().QuickBack.Milliseconds()
	for i := range f.Pageviews {
		pv := &f.Pageviews[i]
		pv.QuickBack = i > 0 && i+1 < len(f.Pageviews) && f.Pageviews[i-1].URL != pv.URL &&
			f.Pageviews[i+1].URL == f.Pageviews[i-1].URL && pv.DwellMS <= window
	}
	tags := map[string]bool{}
	quick, excessive := 0, 0
	for _, p := range f.Pageviews {
		s.Pages = append(s.Pages, p.Path)
		s.URLs = append(s.URLs, p.URL)
		if p.QuickBack {
			quick++
			tags["quick_back"] = true
		}
		if p.ExcessiveScroll {
			excessive++
			tags["excessive_scroll"] = true
		}
	}
	b.judgeClicks()
	for _, c := range f.Clicks {
		if c.Dead {
			s.DeadClicks++
		}
		if c.Error {
			s.ErrorClicks++
		}
	}
	s.JSErrors = len(f.Errors)
	for _, r := range f.Requests {
		if r.Failed {
			s.FailedReqs++
		}
	}
	for tag, n := range map[string]int{"rage_click": s.RageClicks, "dead_click": s.DeadClicks, "error_click": s.ErrorClicks,
		"js_error": s.JSErrors, "failed_request": s.FailedReqs} {
		if n > 0 {
			tags[tag] = true
		}
	}
	for t := range tags {
		s.Tags = append(s.Tags, t)
	}
	sort.Strings(s.Tags)
	s.Score = float64(scoreRage*s.RageClicks + scoreError*s.ErrorClicks + scoreDead*s.DeadClicks + scoreJSError*s.JSErrors +
		scoreFailed*s.FailedReqs + scoreQuickBack*quick + scoreExcessive*excessive)
}

func titleOf(kind string) string {
	return map[string]string{"/": "Loupe Shop", "/products": "Products", "/products/*": "Product", "/cart": "Your cart",
		"/checkout": "Checkout", "/thanks": "Thank you"}[kind]
}

func apiFor(kind string) string {
	return map[string]string{"/": "/api/featured", "/products": "/api/products", "/products/*": "/api/product",
		"/cart": "/api/cart", "/checkout": "/api/session", "/thanks": "/api/order"}[kind]
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
func round1(v float64) float64        { return math.Round(v*10) / 10 }
func round3(v float64) float64        { return math.Round(v*1000) / 1000 }

// judgeClicks applies docs/definitions.md to the clicks as they will be
// recorded: a click on a dead element is dead only if nothing reacts
// within a second (another click's DOM change, a scroll, an input, a page
// load — or a page load up to 10 s later with no click in between), and
// any click followed by a JS error within a second is an error click.
func (b *builder) judgeClicks() {
	f := b.f
	defs := core.Default()
	deadWin, errWin := defs.DeadClickWindow.Milliseconds(), defs.ErrorClickWindow.Milliseconds()
	var reactions []int64
	for _, c := range f.Clicks {
		if !c.Dead {
			reactions = append(reactions, c.OffsetMS+mutationDelay)
		}
	}
	for _, in := range f.Inputs {
		reactions = append(reactions, in.OffsetMS)
	}
	for _, m := range b.motion {
		for _, k := range m.emitted() {
			reactions = append(reactions, k.at)
		}
	}
	for i := range f.Clicks {
		c := &f.Clicks[i]
		for _, e := range f.Errors {
			if e.OffsetMS >= c.OffsetMS && e.OffsetMS-c.OffsetMS <= errWin {
				c.Error = true
			}
		}
		if !c.Dead {
			continue
		}
		for _, at := range reactions {
			if at > c.OffsetMS && at-c.OffsetMS <= deadWin {
				c.Dead = false
			}
		}
		if next := c.Pageview + 1; next < len(f.Pageviews) {
			load := f.Pageviews[next].OffsetMS
			last := i+1 >= len(f.Clicks) || f.Clicks[i+1].OffsetMS >= load
			if load-c.OffsetMS <= deadWin || (last && load-c.OffsetMS <= 10_000) {
				c.Dead = false
			}
		}
	}
}

// mutationDelay is how long after a working click its DOM change is recorded.
const mutationDelay = 80
