package pull

import (
	"math"
	"runtime/debug"
)

// Garbage collector settings for a process that imports (`loupe import`
// and `loupe sync`). An import allocates fast (decoded events, derived
// facts, compressed chunks) but holds little: its heap stays at tens of
// MB whatever the number of sessions, so the default target of 100 %
// collects every few milliseconds. 400 % cut the import's CPU time by
// about a tenth, 800 % by a sixth more for whole visits read from exports
// (BENCHMARKS.md); the soft memory limit makes the collector work harder
// instead when one very large session would let the heap grow eight-fold
// past it.
const (
	ImportGCPercent   = 800
	ImportMemoryLimit = 192 << 20
)

// TuneGCForImport applies the import settings to this process and
// returns a function that restores the previous ones. A memory limit set
// by the user (GOMEMLIMIT) is kept.
func TuneGCForImport() (restore func()) {
	percent := debug.SetGCPercent(ImportGCPercent)
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		debug.SetMemoryLimit(ImportMemoryLimit)
	}
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
