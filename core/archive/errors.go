package archive

import "errors"

// Errors a Reader returns, matched with errors.Is. Each names a cause a user
// can act on: a cut-off download is worth retrying, a corrupt file is not,
// and a newer format needs a newer Loupe.
var (
	// ErrCorrupt means the bytes are not a valid archive: bad gzip data or
	// checksum, a malformed line, a missing trailer, or a trailer whose
	// count or digest does not match the lines before it.
	ErrCorrupt = errors.New("archive is corrupt")
	// ErrTruncated means the archive ends early, as a cut-off download or a
	// partly written file does.
	ErrTruncated = errors.New("archive is truncated")
	// ErrUnsupportedVersion means the header names another format or a
	// version this build cannot read.
	ErrUnsupportedVersion = errors.New("unsupported archive format or version")
)

// Errors a Store returns, matched with errors.Is.
var (
	// ErrInvalidKey rejects a key that is not a plain relative path ending
	// in ".loupe" (see ValidateKey): keys come from the network and must not
	// escape a store's root.
	ErrInvalidKey = errors.New("invalid archive key")
	// ErrDigestMismatch rejects a Put whose bytes do not match the size or
	// sha256 the caller gave, or whose sha256 is not 64 hex digits.
	ErrDigestMismatch = errors.New("archive bytes do not match their size or sha256")
	// ErrConflict rejects a Put to a key that already holds different
	// bytes. Archives are immutable: a changed archive behind a sync cursor
	// would be missed silently. A Put of the same bytes again succeeds.
	ErrConflict = errors.New("key already holds a different archive")
)
