package pull

import "errors"

// DefaultMaxEventBytes is the default Options.MaxEventBytes: four times
// the collector's per-session cap, so no archive a collector seals comes
// near it.
const DefaultMaxEventBytes = 256 << 20

// ErrArchiveTooLarge means an archive's events inflate past
// Options.MaxEventBytes; the archive is quarantined.
var ErrArchiveTooLarge = errors.New("archive too large to import")
