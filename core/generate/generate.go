// Package generate makes realistic synthetic sessions of the demo shop,
// seeded so the same options always give the same sessions: their facts
// (core.Facts) and a small rrweb stream each, so the workspace's import,
// the deriver, segments, funnels, heatmaps, insights and `loupe bench`
// can be exercised at any scale without a browser.
//
// The streams say what the facts say: core/derive, run over a generated
// stream, finds the same pages, clicks (selector, page and in-element
// position), rage, dead and error clicks, quick backs, excessive scrolling,
// scroll depth, errors, failed requests, custom events and device (a test
// holds the two to it), so a workspace built either way answers alike.
//
// Effects can be planted (Options.Effects) so that tests of insights know
// what they should find.
package generate

import (
	"math/rand/v2"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Options shape a generated data set.
type Options struct {
	Seed     uint64
	Sessions int
	// Start is when the first session may begin; sessions spread over Days.
	Start time.Time
	Days  int
	Site  string
	// NoEvents skips the rrweb streams when only facts are needed.
	NoEvents bool
	Effects  Effects
}

// Effects are planted patterns. Zero values mean no effect.
type Effects struct {
	// MobileCheckoutDrop multiplies the chance that a mobile session leaves
	// at /checkout (3 means mobile drops there three times as often).
	MobileCheckoutDrop float64
	// CheckoutErrorRate is the chance of a JS error on /checkout, which
	// then makes the pay click an error click (default 0.04).
	CheckoutErrorRate float64
	// FailedRequestRate is the chance that an API request fails (default 0.03).
	FailedRequestRate float64
}

// Session is one generated session: its archive header, its rrweb events
// (nil with NoEvents) and the facts a deriver should find in them.
type Session struct {
	Header archive.Header
	Events []rrweb.Event
	Facts  *core.Facts
}

func (o Options) withDefaults() Options {
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Days <= 0 {
		o.Days = 14
	}
	if o.Site == "" {
		o.Site = "demo"
	}
	if o.Effects.MobileCheckoutDrop <= 0 {
		o.Effects.MobileCheckoutDrop = 1
	}
	if o.Effects.CheckoutErrorRate <= 0 {
		o.Effects.CheckoutErrorRate = 0.04
	}
	if o.Effects.FailedRequestRate <= 0 {
		o.Effects.FailedRequestRate = 0.03
	}
	return o
}

// Each generates o.Sessions sessions in order and calls fn with each,
// stopping at the first error fn returns. Memory stays flat at any size.
func Each(o Options, fn func(i int, s Session) error) error {
	o = o.withDefaults()
	for i := 0; i < o.Sessions; i++ {
		// One stream per session, so session i is the same whatever the
		// total and whichever sessions a caller skips.
		r := rand.New(rand.NewPCG(o.Seed, uint64(i)))
		s := session(r, o, i)
		if err := fn(i, s); err != nil {
			return err
		}
	}
	return nil
}

// Sessions generates every session into memory.
func Sessions(o Options) []Session {
	out := make([]Session, 0, o.Sessions)
	Each(o, func(_ int, s Session) error { out = append(out, s); return nil })
	return out
}

// Facts generates the facts only (no rrweb streams).
func Facts(o Options) []*core.Facts {
	o.NoEvents = true
	out := make([]*core.Facts, 0, o.Sessions)
	Each(o, func(_ int, s Session) error { out = append(out, s.Facts); return nil })
	return out
}
