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
// of the header line and the N event lines, newlines included, and no line
// but the trailer starts with a "trailer" key. The file is one gzip member
// with nothing after it. The digest a Store keeps (Writer.Sum) is the
// SHA-256 of the compressed file bytes.
package archive

import "time"

// FormatName and Version identify the archive format in its header.
const (
	FormatName = "loupe-archive"
	Version    = 1
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
}
