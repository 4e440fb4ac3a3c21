package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/chart"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Funnels is the funnel builder: steps picked from the workspace's real
// pages, elements and events, per-step conversion and time, the sessions
// that dropped off, a breakdown, and saved funnels.
type Funnels struct {
	scope
	db *workspace.DB
	// indexed answers funnels from the analytics index (core/index) once it
	// is built, from SQL before; the answers are the same. The window's
	// index lives in memory only: a background write could outlive the
	// workspace it belongs to.
	indexed *index.Live
}

// NewFunnels binds funnels to a workspace, with an analytics index of
// their own.
func NewFunnels(db *workspace.DB) *Funnels { return newFunnels(db, index.NewLive(db, "")) }

// newFunnels binds funnels to a workspace and an index it may share with
// other bindings.
func newFunnels(db *workspace.DB, indexed *index.Live) *Funnels {
	return &Funnels{scope: unscoped(), db: db, indexed: indexed}
}

// FunnelQuery is the builder's funnel, in the one funnel wire form the
// CLI and saved funnels use too.
type FunnelQuery = funnel.Spec

// FunnelResult is a funnel's answer plus, for each step, the first
// sessions that reached it and went no further.
type FunnelResult struct {
	*funnel.Result
	Dropped [][]string `json:"dropped"`
	// Option is the echarts option of the step chart, built by core/chart:
	// per step, the sessions that went on and those that dropped off.
	Option json.RawMessage `json:"option"`
}

// funnelOption draws a funnel's steps with their overall conversion.
func funnelOption(res *funnel.Result) (json.RawMessage, error) {
	steps := make([]chart.FunnelStep, len(res.Steps))
	for i, s := range res.Steps {
		steps[i] = chart.FunnelStep{Label: s.Step, Reached: s.Count, Dropped: s.DroppedOff, Conversion: s.ConversionOverall}
	}
	return chart.Funnel(chart.Style{}, steps)
}

// droppedShown bounds the dropped-off ids sent per step; the list opens
// more on demand.
const droppedShown = 50

// Run evaluates a funnel.
func (f *Funnels) Run(q FunnelQuery) (FunnelResult, error) {
	fq, err := q.Query()
	if err != nil {
		return FunnelResult{}, fail(err, "run funnel")
	}
	res, err := f.indexed.Funnel(f.ctx, fq)
	if err != nil {
		return FunnelResult{}, fail(err, "run funnel")
	}
	out := FunnelResult{Result: res, Dropped: make([][]string, len(res.Steps))}
	for i := range res.Steps {
		ids := res.DroppedAfter(i)
		if len(ids) > droppedShown {
			ids = ids[:droppedShown]
		}
		if ids == nil {
			ids = []string{}
		}
		out.Dropped[i] = ids
	}
	if out.Option, err = funnelOption(res); err != nil {
		return FunnelResult{}, fail(err, "run funnel")
	}
	return out, nil
}

// DroppedSessions returns the sessions that completed step (0-based) and
// not the next one, for the list under the chart.
func (f *Funnels) DroppedSessions(q FunnelQuery, step int) ([]core.Session, error) {
	fq, err := q.Query()
	if err != nil {
		return nil, fail(err, "list dropped sessions")
	}
	if step < 0 || step >= len(fq.Steps) {
		return nil, fail(fmt.Errorf("step %d of %d: %w", step+1, len(fq.Steps), ErrInvalid), "list dropped sessions")
	}
	res, err := f.indexed.Funnel(f.ctx, fq)
	if err != nil {
		return nil, fail(err, "list dropped sessions")
	}
	ids := res.DroppedAfter(step)
	if len(ids) == 0 {
		return []core.Session{}, nil
	}
	if len(ids) > maxPage {
		ids = ids[:maxPage]
	}
	list, err := f.db.Sessions(f.ctx, workspace.SessionQuery{IDs: ids})
	if err != nil {
		return nil, fail(err, "list dropped sessions")
	}
	return list, nil
}

// StepSuggestion is a step the builder offers, with how often it occurs.
type StepSuggestion struct {
	Step     string `json:"step"`
	Kind     string `json:"kind"`
	Label    string `json:"label"`
	Sessions int    `json:"sessions"`
}

// Suggestions lists steps from the workspace's real pages, clicked
// elements and custom events, most common first.
func (f *Funnels) Suggestions() ([]StepSuggestion, error) {
	var out []StepSuggestion
	for _, src := range []struct {
		kind string
		load func(context.Context, int) ([]workspace.Ranked, error)
	}{{"page", f.db.TopPaths}, {"event", f.db.TopEventNames}, {"click", f.db.TopClicked}} {
		rows, err := src.load(f.ctx, 40)
		if err != nil {
			return nil, fail(err, "suggest steps")
		}
		for _, r := range rows {
			if r.Name == "" {
				continue
			}
			out = append(out, StepSuggestion{Step: src.kind + ":" + r.Name, Kind: src.kind, Label: r.Name, Sessions: r.Sessions})
		}
	}
	if out == nil {
		out = []StepSuggestion{}
	}
	return out, nil
}

// Saved lists the saved funnels by name, from the workspace's own table
// (the one the CLI and alert rules use).
func (f *Funnels) Saved() ([]FunnelQuery, error) {
	rows, err := f.db.SavedFunnels(f.ctx)
	if err != nil {
		return nil, fail(err, "list saved funnels")
	}
	out := make([]FunnelQuery, 0, len(rows))
	for _, r := range rows {
		out = append(out, funnel.SpecOf(r.Name, r.Query))
	}
	return out, nil
}

// Save checks and stores a funnel under its name, replacing one of the
// same name.
func (f *Funnels) Save(q FunnelQuery) ([]FunnelQuery, error) {
	q.Name = strings.TrimSpace(q.Name)
	if q.Name == "" {
		return nil, fail(fmt.Errorf("a saved funnel needs a name: %w", ErrInvalid), "save funnel")
	}
	fq, err := q.Query()
	if err != nil {
		return nil, fail(err, "save funnel")
	}
	if err := f.db.SaveFunnel(f.ctx, q.Name, fq); err != nil {
		return nil, fail(err, "save funnel")
	}
	return f.Saved()
}

// Delete removes a saved funnel.
func (f *Funnels) Delete(name string) ([]FunnelQuery, error) {
	if err := f.db.DeleteFunnel(f.ctx, name); err != nil {
		return nil, fail(err, "delete funnel")
	}
	return f.Saved()
}
