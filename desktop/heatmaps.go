package desktop

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/period"
	"github.com/loupe-dev/loupe/core/replay"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Heatmaps draws click, rage, movement and scroll-depth layers over the
// recorded page itself: the UI rebuilds one recorded pageview with rrweb's
// Replayer in a sandboxed iframe and paints the layer over it.
type Heatmaps struct {
	scope
	db *workspace.DB
	// indexed picks the sessions of a heatmap narrowed by device, segment
	// or period from the analytics index once it is built (the heat rows
	// are read from the workspace either way); the answers are the same.
	indexed *index.Live
}

// NewHeatmaps binds heatmaps to a workspace, with an analytics index of
// their own.
func NewHeatmaps(db *workspace.DB) *Heatmaps { return newHeatmaps(db, index.NewLive(db, "")) }

// newHeatmaps binds heatmaps to a workspace and an index it may share
// with other bindings.
func newHeatmaps(db *workspace.DB, indexed *index.Live) *Heatmaps {
	return &Heatmaps{scope: unscoped(), db: db, indexed: indexed}
}

// HeatmapQuery is what the view asks for.
type HeatmapQuery struct {
	Page    string `json:"page"`
	Device  string `json:"device,omitempty"`
	Kind    string `json:"kind,omitempty"` // click, rage, move, scroll
	Segment string `json:"segment,omitempty"`
	// From and To bound when the sessions started, as in SessionQuery.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// HeatmapView is a heatmap layer and the recorded page to draw it on.
type HeatmapView struct {
	Data *heatmap.Data `json:"data"`
	// Snapshot is one recorded pageview of the page (sanitized): its Meta
	// and full snapshot and the changes that followed, for the Replayer.
	Snapshot []rrweb.Event `json:"snapshot"`
	// Session is the session the snapshot comes from.
	Session string `json:"session,omitempty"`
}

// Pages lists the recorded paths, most viewed first, for the page picker.
func (h *Heatmaps) Pages() ([]workspace.Ranked, error) {
	rows, err := h.db.TopPaths(h.ctx, 500)
	return rows, fail(err, "list pages")
}

// Get returns a heatmap layer and a recorded page to draw it on.
func (h *Heatmaps) Get(q HeatmapQuery) (HeatmapView, error) {
	hq := heatmap.Query{Page: strings.TrimSpace(q.Page), Device: q.Device, Kind: heatmap.Kind(q.Kind)}
	if strings.TrimSpace(q.Segment) != "" {
		e, err := segment.Parse(q.Segment)
		if err != nil {
			return HeatmapView{}, fail(err, "draw heatmap")
		}
		hq.Segment = e
	}
	var err error
	if hq.From, hq.To, err = period.Parse(q.From, q.To); err != nil {
		return HeatmapView{}, fail(fmt.Errorf("%w: %w", ErrInvalid, err), "draw heatmap")
	}
	data, err := h.indexed.Heatmap(h.ctx, hq)
	if err != nil {
		return HeatmapView{}, fail(err, "draw heatmap")
	}
	view := HeatmapView{Data: data, Snapshot: []rrweb.Event{}}
	id, events, err := h.snapshot(hq)
	if err != nil {
		return HeatmapView{}, fail(err, "draw heatmap")
	}
	if events != nil {
		view.Session, view.Snapshot = id, events
	}
	return view, nil
}

// snapshot finds the newest session with a pageview of the page on the
// device and cuts that pageview out of its recording, prepared for replay
// (sanitized, assets from the workspace).
func (h *Heatmaps) snapshot(q heatmap.Query) (string, []rrweb.Event, error) {
	ids, err := h.newestViewing(q, 5)
	if err != nil {
		return "", nil, err
	}
	for _, id := range ids {
		events, err := h.db.ReplayEvents(h.ctx, id)
		if err != nil {
			return "", nil, err
		}
		if cut := pageviewEvents(events, q.Page); cut != nil {
			r, _, err := replay.ForSession(h.ctx, h.db, id, replay.Workbench)
			if err != nil {
				return "", nil, err
			}
			return id, replay.Prepare(cut, r), nil
		}
	}
	return "", nil, nil
}

// newestViewing lists the newest sessions of the heatmap's scope that
// viewed its page: from the analytics index once it is built, else from
// the workspace's session list (70–170 ms at 100k sessions, more than
// the heatmap itself).
func (h *Heatmaps) newestViewing(q heatmap.Query, limit int) ([]string, error) {
	if x := h.indexed.Current(h.ctx); x != nil {
		if ids, ok := x.NewestViewing(q, limit); ok {
			return ids, nil
		}
	}
	wq := workspace.SessionQuery{Page: q.Page, Device: q.Device, From: q.From, To: q.To, Limit: limit}
	sessions, err := h.db.Sessions(h.ctx, wq.WithSegment(q.Segment))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(sessions))
	for i, s := range sessions {
		ids[i] = s.ID
	}
	return ids, nil
}

// pageviewEvents returns the events of the first pageview whose path
// matches glob: from its Meta event up to the next Meta, with scrolls
// dropped so the rebuilt page stays at its top. nil when no pageview
// matches or it has no full snapshot to rebuild from.
func pageviewEvents(events []rrweb.Event, glob string) []rrweb.Event {
	start := -1
	for i, e := range events {
		if e.Type != rrweb.Meta {
			continue
		}
		if start >= 0 {
			return keepSnapshot(events[start:i])
		}
		var meta struct {
			Href string `json:"href"`
		}
		if json.Unmarshal(e.Data, &meta) == nil && step.MatchGlob(glob, derive.PathOf(meta.Href)) {
			start = i
		}
	}
	if start < 0 {
		return nil
	}
	return keepSnapshot(events[start:])
}

func keepSnapshot(events []rrweb.Event) []rrweb.Event {
	out := make([]rrweb.Event, 0, len(events))
	full := false
	for _, e := range events {
		if e.Type == rrweb.FullSnapshot {
			full = true
		}
		if src, ok := rrweb.SourceOf(e); ok && e.Type == rrweb.IncrementalSnapshot &&
			(src == rrweb.SourceScroll || src == rrweb.SourceMouseMove || src == rrweb.SourceMouseInteraction) {
			continue
		}
		out = append(out, e)
	}
	if !full {
		return nil
	}
	return out
}
