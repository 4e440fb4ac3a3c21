package workspace

import (
	"bytes"
	"slices"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// mergeEvents merges two parts of one session by timestamp. It is a merge,
// not a sort: each part keeps its own order (rrweb relies on file order
// among equal timestamps), and at equal times the stored part comes first.
// An event present in both parts (a batch that reached two collectors) is
// kept once.
func mergeEvents(stored, incoming []rrweb.Event) []rrweb.Event {
	type key struct {
		ts  int64
		typ rrweb.EventType
		n   int
	}
	seen := make(map[key][][]byte, len(stored))
	for _, e := range stored {
		k := key{e.Timestamp, e.Type, len(e.Data)}
		seen[k] = append(seen[k], e.Data)
	}
	fresh := make([]rrweb.Event, 0, len(incoming))
	for _, e := range incoming {
		k := key{e.Timestamp, e.Type, len(e.Data)}
		if slices.ContainsFunc(seen[k], func(d []byte) bool { return bytes.Equal(d, e.Data) }) {
			continue
		}
		fresh = append(fresh, e)
	}
	out := make([]rrweb.Event, 0, len(stored)+len(fresh))
	i, j := 0, 0
	for i < len(stored) && j < len(fresh) {
		if fresh[j].Timestamp < stored[i].Timestamp {
			out = append(out, fresh[j])
			j++
		} else {
			out = append(out, stored[i])
			i++
		}
	}
	out = append(out, stored[i:]...)
	return append(out, fresh[j:]...)
}

// mergeHeaders combines the headers of two parts of one session: the
// earliest start, the latest end, pages in order without repeats, and the
// first non-empty value of everything else.
func mergeHeaders(a, b archive.Header) archive.Header {
	h := a
	if h.StartedAt.IsZero() || (!b.StartedAt.IsZero() && b.StartedAt.Before(h.StartedAt)) {
		h.StartedAt = b.StartedAt
	}
	if b.EndedAt.After(h.EndedAt) {
		h.EndedAt = b.EndedAt
	}
	for _, p := range b.Pages {
		if !slices.Contains(h.Pages, p) {
			h.Pages = append(h.Pages, p)
		}
	}
	first := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	first(&h.Format, b.Format)
	first(&h.Site, b.Site)
	first(&h.Visitor, b.Visitor)
	first(&h.TrackerVersion, b.TrackerVersion)
	first(&h.UserAgent, b.UserAgent)
	first(&h.Country, b.Country)
	first(&h.Collector, b.Collector)
	first(&h.Source, b.Source)
	h.Version = max(h.Version, b.Version)
	// The merged header describes the whole session, not one part.
	h.Part = 0
	return h
}
