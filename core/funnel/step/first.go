package step

import "github.com/loupe-dev/loupe/core"

// FirstAt returns when a session first did what s describes: the offset
// (ms since the session's start) of its earliest fact matching s, and
// false when nothing matches. Side-by-side replays align two sessions at
// this moment.
func FirstAt(f *core.Facts, s Step) (int64, bool) {
	if f == nil {
		return 0, false
	}
	at, found := int64(0), false
	eachFact(f, s.Kind, func(x Fact) bool {
		if s.Matches(x.Value) && (!found || x.At < at) {
			at, found = x.At, true
		}
		return true
	})
	return at, found
}
