package pull

// ImportGCPercent is the garbage collector's target that `loupe import`
// and `loupe sync` run with. An import allocates fast (decoded events,
// derived facts, compressed chunks) but holds little (its heap stays at
// tens of MB whatever the number of sessions), so the default target of
// 100 % collects every few milliseconds; 400 % cut the import's CPU time
// by about a tenth for a few tens of MB more heap (BENCHMARKS.md).
const ImportGCPercent = 400
