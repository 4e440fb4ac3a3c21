// Package derive turns a session's rrweb event stream into analytics facts
// (DESIGN.md §3.4): pageviews, clicks resolved to elements, frustration
// signals, errors, requests, scroll depth, custom events.
package derive

import (
	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Session derives the facts of one session. It never fails on odd input:
// what it cannot interpret is counted in Facts.Uninterpreted.
func Session(h archive.Header, events []rrweb.Event, defs core.Definitions) *core.Facts {
	f := &core.Facts{Session: core.Session{ID: h.Session, Site: h.Site, Visitor: h.Visitor, StartedAt: h.StartedAt}}
	f.Session.Events = len(events)
	// Placeholder until the full deriver lands: pageviews and clicks only.
	for _, e := range events {
		switch e.Type {
		case rrweb.Meta:
			f.Session.Pageviews++
		}
	}
	return f
}
