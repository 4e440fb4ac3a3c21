package share

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/workspace"
)

// AlignStart aligns two replays at their first recorded moment.
const AlignStart = "start"

// ErrNeverReached is returned by Align when a session never reaches the
// step the two are to be aligned at.
var ErrNeverReached = errors.New("cannot align")

// Pair makes a file a side-by-side comparison of its two clips: AMS and
// BMS are the moments (ms into each session) that line up, Label says
// what they are ("start", a funnel step, or two chosen moments).
type Pair struct {
	Label string
	AMS   int64
	BMS   int64
}

// pairInfo is the pair as the player reads it, its moments counted from
// each item's first carried event.
type pairInfo struct {
	Align  string `json:"align"`
	AlignA int64  `json:"align_a_ms"`
	AlignB int64  `json:"align_b_ms"`
}

// Align finds where sessions a and b line up: at their start (align
// empty or "start") or at the first moment each reached a funnel step
// ("page:/checkout*", "click:#buy").
func Align(ctx context.Context, db *workspace.DB, a, b, align string) (Pair, error) {
	align = strings.TrimSpace(align)
	if align == "" || align == AlignStart {
		return Pair{Label: AlignStart}, nil
	}
	s, err := step.Parse(align)
	if err != nil {
		return Pair{}, err
	}
	p := Pair{Label: s.String()}
	for _, side := range []struct {
		id string
		at *int64
	}{{a, &p.AMS}, {b, &p.BMS}} {
		facts, err := db.Facts(ctx, side.id)
		if err != nil {
			return Pair{}, fmt.Errorf("session %s: %w", side.id, err)
		}
		at, ok := step.FirstAt(facts, s)
		if !ok {
			return Pair{}, fmt.Errorf("%w: session %s never reaches %s", ErrNeverReached, side.id, p.Label)
		}
		*side.at = at
	}
	return p, nil
}

// BuildPair writes the one-file side-by-side replay of sessions a and b,
// aligned as p says: both sessions' events, assets (each digest once)
// and markers, played by one clock.
func BuildPair(ctx context.Context, db *workspace.DB, a, b string, p Pair, opt Options, pl Player) ([]byte, Stats, error) {
	if a == "" || b == "" {
		return nil, Stats{}, errors.New("a comparison needs two sessions")
	}
	if p.AMS < 0 || p.BMS < 0 {
		return nil, Stats{}, errors.New("an alignment moment cannot be negative")
	}
	if p.Label == "" {
		p.Label = AlignStart
	}
	return build(ctx, db, []Clip{{Session: a, Title: "A"}, {Session: b, Title: "B"}}, opt, pl, &p)
}
