package workspace

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
)

// Flags packed into one integer column.
const (
	clickRage  = 1
	clickDead  = 2
	clickError = 4

	pageQuickBack       = 1
	pageExcessiveScroll = 2
)

func flag(b bool, bit int) int {
	if b {
		return bit
	}
	return 0
}

// jsonOrNil encodes v as JSON, or NULL when it is empty.
func jsonOrNil[M ~map[K]V, K comparable, V any](m M) (any, error) {
	if len(m) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// putSession inserts the session row (sid == 0) or replaces its values.
func (b *Batch) putSession(hdr archive.Header, f *core.Facts, sid int64) (int64, error) {
	ctx := b.ctx
	s := f.Session
	if s.StartedAt.IsZero() {
		s.StartedAt = hdr.StartedAt
	}
	site := s.Site
	if site == "" {
		site = hdr.Site
	}
	visitor := s.Visitor
	if visitor == "" {
		visitor = hdr.Visitor
	}
	country := s.Country
	if country == "" {
		country = hdr.Country
	}
	siteID, err := b.siteID(site)
	if err != nil {
		return 0, err
	}
	var visitorID any
	if visitor != "" {
		traits, err := jsonOrNil(s.Traits)
		if err != nil {
			return 0, fmt.Errorf("encode traits: %w", err)
		}
		newSession := 0
		if sid == 0 {
			newSession = 1
		}
		var id int64
		start := s.StartedAt.UnixMilli()
		if err := b.st.upsertVisitor.QueryRowContext(ctx, visitor, siteID, s.UserID, traits, start,
			start+s.DurationMS, newSession).Scan(&id); err != nil {
			return 0, fmt.Errorf("store visitor: %w", err)
		}
		visitorID = id
	}
	var entry, exit any
	if n := len(f.Pageviews); n > 0 {
		if entry, err = b.dict.id(ctx, dictPaths, f.Pageviews[0].Path); err != nil {
			return 0, err
		}
		if exit, err = b.dict.id(ctx, dictPaths, f.Pageviews[n-1].Path); err != nil {
			return 0, err
		}
	}
	maxScroll, err := jsonOrNil(s.MaxScrollPct)
	if err != nil {
		return 0, fmt.Errorf("encode scroll depth: %w", err)
	}
	traits, err := jsonOrNil(s.Traits)
	if err != nil {
		return 0, fmt.Errorf("encode traits: %w", err)
	}
	unint, err := jsonOrNil(f.Uninterpreted)
	if err != nil {
		return 0, fmt.Errorf("encode uninterpreted: %w", err)
	}
	score := s.Score
	if math.IsNaN(score) || math.IsInf(score, 0) {
		score = 0
	}
	vals := []any{siteID, visitorID, s.StartedAt.UnixMilli(), s.DurationMS, s.Pageviews, s.Clicks,
		s.RageClicks, s.DeadClicks, s.ErrorClicks, s.JSErrors, s.FailedReqs, s.Events,
		s.Viewport.W, s.Viewport.H, s.Device, s.Browser, s.OS, country, s.UserID, compactReal(score),
		entry, exit, maxScroll, traits, unint}
	if sid != 0 {
		if _, err := b.st.updateSession.ExecContext(ctx, append(vals, sid)...); err != nil {
			return 0, fmt.Errorf("update session: %w", err)
		}
	} else {
		r, err := b.st.addSession.ExecContext(ctx, append([]any{hdr.Session}, vals...)...)
		if err != nil {
			return 0, fmt.Errorf("add session: %w", err)
		}
		if sid, err = r.LastInsertId(); err != nil {
			return 0, fmt.Errorf("add session: %w", err)
		}
	}
	for _, t := range s.Tags {
		if _, err := b.st.addTag.ExecContext(ctx, sid, t); err != nil {
			return 0, fmt.Errorf("add tag: %w", err)
		}
	}
	return sid, nil
}

// putFacts inserts every derived fact row of a session.
func (b *Batch) putFacts(sid int64, f *core.Facts) error {
	ctx, d := b.ctx, b.dict
	for _, p := range f.Pageviews {
		path, err := d.id(ctx, dictPaths, p.Path)
		if err != nil {
			return err
		}
		u, err := d.id(ctx, dictStrs, p.URL)
		if err != nil {
			return err
		}
		title, err := d.optID(ctx, dictStrs, p.Title)
		if err != nil {
			return err
		}
		if _, err := b.st.addPageview.ExecContext(ctx, sid, p.Index, path, u, title, p.OffsetMS, p.DwellMS,
			p.Viewport.W, p.Viewport.H, p.DocHeight, compactReal(p.MaxScrollY), compactReal(p.ScrollPct),
			flag(p.QuickBack, pageQuickBack)|flag(p.ExcessiveScroll, pageExcessiveScroll)); err != nil {
			return fmt.Errorf("add pageview: %w", err)
		}
	}
	for i, c := range f.Clicks {
		path, err := d.id(ctx, dictPaths, c.Path)
		if err != nil {
			return err
		}
		sel, err := d.id(ctx, dictSelectors, c.Selector)
		if err != nil {
			return err
		}
		tag, err := d.optID(ctx, dictStrs, c.Tag)
		if err != nil {
			return err
		}
		text, err := d.optID(ctx, dictStrs, c.Text)
		if err != nil {
			return err
		}
		// Page coordinates are kept in whole pixels: SQLite then stores them
		// as small integers, and a heatmap has no finer grain.
		if _, err := b.st.addClick.ExecContext(ctx, sid, i, c.OffsetMS, c.Pageview, path, roundPx(c.X), roundPx(c.Y), compactReal(c.RelX), compactReal(c.RelY),
			sel, tag, text, flag(c.Rage, clickRage)|flag(c.Dead, clickDead)|flag(c.Error, clickError)); err != nil {
			return fmt.Errorf("add click: %w", err)
		}
	}
	for i, in := range f.Inputs {
		path, err := d.id(ctx, dictPaths, in.Path)
		if err != nil {
			return err
		}
		sel, err := d.id(ctx, dictSelectors, in.Selector)
		if err != nil {
			return err
		}
		if _, err := b.st.addInput.ExecContext(ctx, sid, i, in.OffsetMS, in.Pageview, path, sel); err != nil {
			return fmt.Errorf("add input: %w", err)
		}
	}
	for i, e := range f.Errors {
		path, err := d.id(ctx, dictPaths, e.Path)
		if err != nil {
			return err
		}
		msg, err := d.id(ctx, dictStrs, e.Message)
		if err != nil {
			return err
		}
		src, err := d.optID(ctx, dictStrs, e.Source)
		if err != nil {
			return err
		}
		stack, err := d.optID(ctx, dictStrs, e.Stack)
		if err != nil {
			return err
		}
		if _, err := b.st.addError.ExecContext(ctx, sid, i, e.OffsetMS, e.Pageview, path, msg, src, stack); err != nil {
			return fmt.Errorf("add error: %w", err)
		}
	}
	for i, r := range f.Requests {
		path, err := d.id(ctx, dictPaths, r.Path)
		if err != nil {
			return err
		}
		method, err := d.id(ctx, dictStrs, r.Method)
		if err != nil {
			return err
		}
		u, err := d.id(ctx, dictStrs, r.URL)
		if err != nil {
			return err
		}
		if _, err := b.st.addRequest.ExecContext(ctx, sid, i, r.OffsetMS, r.Pageview, path, method, u, r.Status,
			r.DurationMS, flag(r.Failed, 1)); err != nil {
			return fmt.Errorf("add request: %w", err)
		}
	}
	for i, c := range f.CustomEvents {
		path, err := d.id(ctx, dictPaths, c.Path)
		if err != nil {
			return err
		}
		name, err := d.id(ctx, dictStrs, c.Name)
		if err != nil {
			return err
		}
		props, err := jsonOrNil(c.Props)
		if err != nil {
			return fmt.Errorf("encode event props: %w", err)
		}
		if _, err := b.st.addCustom.ExecContext(ctx, sid, i, c.OffsetMS, c.Pageview, path, name, props); err != nil {
			return fmt.Errorf("add custom event: %w", err)
		}
	}
	for i, fb := range f.Feedback {
		path, err := d.id(ctx, dictPaths, fb.Path)
		if err != nil {
			return err
		}
		var comment any
		if fb.Comment != "" {
			comment = fb.Comment
		}
		if _, err := b.st.addFeedback.ExecContext(ctx, sid, i, fb.OffsetMS, fb.Pageview, path, fb.Kind, fb.Score, comment); err != nil {
			return fmt.Errorf("add feedback: %w", err)
		}
	}
	if err := b.putHeatRows(sid, f); err != nil {
		return err
	}
	return b.putMoves(sid, f.Session.Viewport.W, f.Moves)
}

// putMoves stores sampled mouse positions, one packed blob per pageview
// (see encodePoints), and the same blobs keyed by page (heat_moves.go).
func (b *Batch) putMoves(sid int64, vw int, moves []core.Point) error {
	type group struct {
		path string
		pts  [][2]float64
	}
	groups := map[int]*group{}
	var order []int
	for _, p := range moves {
		g := groups[p.Pageview]
		if g == nil {
			g = &group{path: p.Path}
			groups[p.Pageview] = g
			order = append(order, p.Pageview)
		}
		g.pts = append(g.pts, [2]float64{p.X, p.Y})
	}
	blobs := make([]pageviewPoints, 0, len(order))
	for _, pv := range order {
		g := groups[pv]
		path, err := b.dict.id(b.ctx, dictPaths, g.path)
		if err != nil {
			return err
		}
		points := encodePoints(g.pts)
		if _, err := b.st.addMove.ExecContext(b.ctx, sid, pv, path, points); err != nil {
			return fmt.Errorf("add moves: %w", err)
		}
		blobs = append(blobs, pageviewPoints{pageview: pv, path: path, count: len(g.pts), points: points})
	}
	return b.putHeatMoves(sid, vw, blobs)
}

// pointsFormat leads a moves blob: whole CSS pixels as zigzag varint
// deltas from the previous point. Moves feed a heatmap, where a pixel is
// the finest grain, and consecutive samples are close, so most points
// take two or three bytes instead of sixteen.
const pointsFormat = 1

func encodePoints(pts [][2]float64) []byte {
	out := make([]byte, 1, 1+3*len(pts))
	out[0] = pointsFormat
	var px, py int64
	for _, p := range pts {
		x, y := clampPx(p[0]), clampPx(p[1])
		out = binary.AppendVarint(out, x-px)
		out = binary.AppendVarint(out, y-py)
		px, py = x, y
	}
	return out
}

func clampPx(v float64) int64 {
	if math.IsNaN(v) {
		return 0
	}
	return int64(math.Round(max(min(v, 1e9), -1e9)))
}

// roundPx is a page coordinate in whole pixels.
func roundPx(v float64) int64 { return clampPx(v) }

// compactReal binds a number as an integer when it has no fraction, so a
// NUMERIC column stores it in 0-4 bytes instead of 8.
func compactReal(v float64) any {
	if v == math.Trunc(v) && math.Abs(v) < 1<<52 {
		return int64(v)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return int64(0) // not a measurement; the columns are NOT NULL
	}
	return v
}

// DecodePoints unpacks a moves.points blob into page coordinates (whole
// pixels). A damaged blob yields the points before the damage.
func DecodePoints(blob []byte) [][2]float64 {
	xy := appendPoints(nil, blob)
	out := make([][2]float64, 0, len(xy)/2)
	for i := 0; i+1 < len(xy); i += 2 {
		out = append(out, [2]float64{float64(xy[i]), float64(xy[i+1])})
	}
	return out
}

// countPoints is how many points a moves.points blob holds (appendPoints
// appends that many pairs).
func countPoints(blob []byte) int {
	if len(blob) == 0 || blob[0] != pointsFormat {
		return 0
	}
	ends := 0 // varints ended: each point is two
	for _, c := range blob[1:] {
		if c < 0x80 {
			ends++
		}
	}
	return ends / 2
}

// appendPoints appends the points of a moves.points blob to xy as x, y
// pairs, in order, stopping at any damage. Most deltas take one or two
// bytes, which are read without the general varint loop: a move heatmap
// decodes millions. Positions are stored within ±1e9 (clampPx); a damaged
// blob's sums are held to the int32 range rather than wrapping.
func appendPoints(xy []int32, blob []byte) []int32 {
	if len(blob) == 0 || blob[0] != pointsFormat {
		return xy
	}
	rest := blob[1:]
	var x, y int64
	for len(rest) > 0 {
		dx, n := pointDelta(rest)
		if n <= 0 {
			break
		}
		dy, m := pointDelta(rest[n:])
		if m <= 0 {
			break
		}
		rest = rest[n+m:]
		x = clampInt(x+dx, math.MinInt32, math.MaxInt32)
		y = clampInt(y+dy, math.MinInt32, math.MaxInt32)
		xy = append(xy, int32(x), int32(y))
	}
	return xy
}

// pointDelta is binary.Varint with the one- and two-byte cases first.
func pointDelta(b []byte) (int64, int) {
	var u uint64
	switch {
	case len(b) > 0 && b[0] < 0x80:
		u = uint64(b[0])
		return int64(u>>1) ^ -int64(u&1), 1
	case len(b) > 1 && b[1] < 0x80:
		u = uint64(b[0]&0x7f) | uint64(b[1])<<7
		return int64(u>>1) ^ -int64(u&1), 2
	}
	return binary.Varint(b)
}

// putReplay stores the session's header and compressed events; chunks
// may come compressed already (nil: compress events here).
func (b *Batch) putReplay(sid int64, hdr archive.Header, events int, chunks []replayChunk) error {
	hj, err := json.Marshal(hdr)
	if err != nil {
		return fmt.Errorf("encode header: %w", err)
	}
	total := 0
	for i, c := range chunks {
		total += len(c.data)
		if _, err := b.st.addChunk.ExecContext(b.ctx, sid, i, c.firstTS, c.lastTS, c.events, c.data); err != nil {
			return fmt.Errorf("add replay chunk: %w", err)
		}
	}
	if _, err := b.st.putReplay.ExecContext(b.ctx, sid, string(hj), events, total); err != nil {
		return fmt.Errorf("add replay: %w", err)
	}
	return nil
}
