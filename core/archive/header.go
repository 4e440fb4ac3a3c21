// Package archive is the portable session archive (*.loupe)
// and the Store interface its backends implement.
//
// An archive is a gzip stream of NDJSON: a header line, one rrweb event per
// line in recorded order, and a trailer line holding the event count and the
// SHA-256 of every line before it. gzip's own CRC and length catch
// truncation; the trailer catches tampering inside a valid gzip stream. The
// same input always gives the same bytes (no gzip name or mtime, fixed
// level), so archives can be compared and deduplicated by digest.
//
// Precisely: every line ends in "\n"; events are compacted JSON objects; the
// trailer is {"trailer":{"events":N,"sha256":"HEX"}} where HEX is the SHA-256
// of every line before it (header, the N event lines and, in version 2, the
// asset lines), newlines included, and no line but the trailer starts with a
// "trailer" key.
//
// Version 2 adds, between the last event and the trailer, exactly one
// manifest line {"assets":[AssetRef...]} sorted by url, then zero or more
// data lines {"asset_data":{"sha256","type","data"}} sorted by sha256, each
// listed in the manifest. No event line starts with an "assets" or
// "asset_data" key. Version 1 archives (no asset lines) are still read. The file is one gzip member
// with nothing after it. The digest a Store keeps (Writer.Sum) is the
// SHA-256 of the compressed file bytes.
package archive

import "time"

// FormatName and Version identify the archive format in its header.
// Version is the one a Writer writes unless told otherwise; Version1 (no
// asset lines) is still read and may still be written.
const (
	FormatName = "loupe-archive"
	Version    = 2
	Version1   = 1
)

// Header describes a session archive. It is the first line of the stream,
// so a reader knows what it holds before reading any event.
type Header struct {
	Format         string    `json:"format"`
	Version        int       `json:"version"`
	Site           string    `json:"site"`
	Session        string    `json:"session"`
	Visitor        string    `json:"visitor"`
	StartedAt      time.Time `json:"started_at"`
	EndedAt        time.Time `json:"ended_at"`
	Pages          []string  `json:"pages"`
	TrackerVersion string    `json:"tracker_version,omitempty"`
	// UserAgent and Country come from the collector at ingest (no raw IP is
	// ever stored; Country is derived and the address dropped).
	UserAgent string `json:"user_agent,omitempty"`
	Country   string `json:"country,omitempty"`
	// Collector names the collector that sealed the archive and Part numbers
	// the archive among several of one session (a session whose batches
	// reached two collectors yields two parts; sync merges them).
	Collector string `json:"collector,omitempty"`
	Part      int    `json:"part,omitempty"`
	// Source says where the recording came from: "tracker" or "rrweb-import".
	Source string `json:"source,omitempty"`
	// Truncated says the collector refused part of the session because it
	// went over the collector's size cap: the recording ends early.
	Truncated bool `json:"truncated,omitempty"`
}
