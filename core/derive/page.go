package derive

import (
	"math"
	"net/url"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// pageState is what the deriver tracks for the current pageview beyond the
// fact itself: scroll depth inputs and scroll reversals.
type pageState struct {
	index     int
	docHeight float64 // latest loupe/page doc_height, 0 when unknown
	vh        float64 // viewport height for depth, from loupe/page or Meta
	maxPct    float64 // -1 until a depth could be computed
	maxY      float64
	// scroll direction and reversal times per scrolled node: two panes
	// scrolled in sync are one movement, not twice the reversals
	lastY     map[int]float64
	lastDir   map[int]int
	reversals map[int][]int64
	moves     int
}

func (d *deriver) meta(seq int, at int64, e rrweb.Event) {
	m, err := e.DecodeMeta()
	if err != nil {
		d.skip("unreadable meta payload")
		return
	}
	d.closeTitle()
	d.viewport = core.Viewport{W: int(m.Width), H: int(m.Height)}
	d.scrollX, d.scrollY = 0, 0
	d.lastInput = -1
	d.rect = nil
	pv := core.Pageview{
		Index: len(d.f.Pageviews), URL: m.Href, Path: PathOf(m.Href),
		At: d.start.Add(msDuration(at)), OffsetMS: at, Viewport: d.viewport, ScrollPct: -1,
	}
	d.f.Pageviews = append(d.f.Pageviews, pv)
	d.page = &pageState{index: pv.Index, vh: m.Height, maxPct: -1, lastY: map[int]float64{}, lastDir: map[int]int{}, reversals: map[int][]int64{}}
	d.pages = append(d.pages, d.page)
	d.metas = append(d.metas, mark{seq, at})
	d.reactions = append(d.reactions, mark{seq, at})
}

// PathOf is a pageview's path: the URL path without query or fragment. An
// empty href (some recorders, tests) reads as "/"; non-hierarchical URLs
// such as about:blank keep their scheme so they are not mistaken for "/".
func PathOf(href string) string {
	href = strings.TrimSpace(href)
	if href == "" {
		return "/"
	}
	u, err := url.Parse(href)
	if err != nil {
		if i := strings.IndexAny(href, "?#"); i >= 0 {
			href = href[:i]
		}
		return href
	}
	if u.Opaque != "" {
		return u.Scheme + ":" + u.Opaque
	}
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// closeTitle gives the pageview being left the title its document had:
// Meta carries none, and by the next Meta the mirror still holds the page
// as it was last seen.
func (d *deriver) closeTitle() {
	if d.page == nil {
		return
	}
	if pv := &d.f.Pageviews[d.page.index]; pv.Title == "" {
		pv.Title = d.mirror.Title()
	}
}

func (d *deriver) pageIndex() int {
	if d.page == nil {
		return -1
	}
	return d.page.index
}

func (d *deriver) path() string {
	if d.page == nil {
		return ""
	}
	return d.f.Pageviews[d.page.index].Path
}

func (d *deriver) scroll(seq int, at int64, inc rrweb.Incremental) {
	d.reactions = append(d.reactions, mark{seq, at})
	if d.mirror.IsPage(inc.ID) {
		d.pageScroll(inc.X, inc.Y)
	}
	if p := d.page; p != nil {
		p.reversal(inc.ID, inc.Y, at)
	}
}

func (d *deriver) pageScroll(x, y float64) {
	d.scrollX, d.scrollY = finite(x), finite(y)
	y = d.scrollY
	if p := d.page; p != nil && y > p.maxY {
		p.maxY = y
	}
	d.updateDepth()
}

// reversal notes a change of vertical scroll direction of one node.
func (p *pageState) reversal(id int, y float64, at int64) {
	last, seen := p.lastY[id]
	p.lastY[id] = y
	if !seen || y == last {
		return
	}
	dir := 1
	if y < last {
		dir = -1
	}
	if prev := p.lastDir[id]; prev != 0 && prev != dir {
		p.reversals[id] = append(p.reversals[id], at)
	}
	p.lastDir[id] = dir
}

// updateDepth records the depth reached now: (scrollTop + viewport height)
// / document height. The document height comes from loupe/page; rrweb
// alone does not record it, and then the depth stays unknown (-1).
func (d *deriver) updateDepth() {
	p := d.page
	if p == nil || p.docHeight <= 0 {
		return
	}
	vh := p.vh
	if vh <= 0 {
		vh = float64(d.viewport.H)
	}
	pct := math.Min(100, finite((d.scrollY+vh)/p.docHeight*100))
	if pct > p.maxPct {
		p.maxPct = pct
	}
}

// pagePayload is loupe/page.
type pagePayload struct {
	DocHeight float64       `json:"doc_height"`
	DocWidth  float64       `json:"doc_width"`
	Viewport  core.Viewport `json:"viewport"`
}

func (d *deriver) pageSize(p pagePayload) {
	if d.page == nil {
		d.skip("loupe/page before any pageview")
		return
	}
	if p.DocHeight > 0 && !math.IsInf(p.DocHeight, 0) {
		d.page.docHeight = p.DocHeight
	}
	if p.Viewport.H > 0 {
		d.page.vh = float64(p.Viewport.H)
	}
	d.updateDepth()
}

// finishPages sets dwell times, depth and the per-page signals.
func (d *deriver) finishPages(end int64) {
	pvs := d.f.Pageviews
	for i := range pvs {
		next := end
		if i+1 < len(pvs) {
			next = pvs[i+1].OffsetMS
		}
		pvs[i].DwellMS = next - pvs[i].OffsetMS
		st := d.pages[i]
		pvs[i].MaxScrollY = st.maxY
		if st.docHeight > 0 && st.maxPct >= 0 {
			pvs[i].DocHeight = int(math.Round(st.docHeight))
			pvs[i].ScrollPct = math.Round(st.maxPct*10) / 10
		}
		for _, times := range st.reversals {
			if burst(times, d.defs.ExcessiveScrollReversals, d.defs.ExcessiveScrollWindow.Milliseconds()) {
				pvs[i].ExcessiveScroll = true
			}
		}
	}
	markQuickBacks(pvs, d.defs.QuickBack.Milliseconds())
}

// markQuickBacks marks a page left for the previous page within the
// window (a u-turn: A → B → A with B shorter than the window). Pages are
// told apart by URL without fragment, not by path: two products on
// /product.html?id=… are different pages to come back from.
func markQuickBacks(pvs []core.Pageview, window int64) {
	for i := 1; i+1 < len(pvs); i++ {
		prev, cur, next := pageKey(pvs[i-1].URL), pageKey(pvs[i].URL), pageKey(pvs[i+1].URL)
		if cur != prev && next == prev && pvs[i].DwellMS <= window {
			pvs[i].QuickBack = true
		}
	}
}

func pageKey(href string) string {
	if i := strings.IndexByte(href, '#'); i >= 0 {
		return href[:i]
	}
	return href
}

// burst reports whether n of the sorted times fall within window.
func burst(times []int64, n int, window int64) bool {
	if n <= 0 {
		return false
	}
	for i := 0; i+n-1 < len(times); i++ {
		if times[i+n-1]-times[i] <= window {
			return true
		}
	}
	return false
}

// Mouse movement is sampled for the movement heatmap: one position per
// moveEveryMS, at most maxMovesPerPageview per pageview, so a long idle
// wiggle cannot outweigh the rest of the session.
const (
	moveEveryMS         = 100
	maxMovesPerPageview = 500
)

type moveSampler struct{ last int64 }

func (d *deriver) move(at int64, positions []rrweb.Position) {
	p := d.page
	if p == nil {
		return
	}
	for _, pos := range positions {
		t := at + int64(pos.TimeOffset)
		if p.moves > 0 && t-d.moves.last < moveEveryMS {
			continue
		}
		if p.moves >= maxMovesPerPageview {
			return
		}
		d.moves.last = t
		p.moves++
		d.f.Moves = append(d.f.Moves, core.Point{
			Pageview: p.index, Path: d.path(), X: finite(pos.X + d.scrollX), Y: finite(pos.Y + d.scrollY),
		})
	}
}
