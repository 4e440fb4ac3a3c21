package pull

import "errors"

// DefaultMaxEventBytes is the default Options.MaxEventBytes: sixteen
// times the collector's per-session cap, so no archive a collector seals
// comes near it. Reading past it costs time, not memory: a larger
// archive is read as a stream.
const DefaultMaxEventBytes = 1 << 30

// ErrArchiveTooLarge means an archive's events inflate past
// Options.MaxEventBytes; the archive is quarantined.
var ErrArchiveTooLarge = errors.New("archive too large to import")
