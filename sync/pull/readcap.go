package pull

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// DefaultMaxEventBytes is the default Options.MaxEventBytes: four times
// the collector's per-session cap, so no archive a collector seals comes
// near it.
const DefaultMaxEventBytes = 256 << 20

// ErrArchiveTooLarge means an archive's events inflate past
// Options.MaxEventBytes; the archive is quarantined.
var ErrArchiveTooLarge = errors.New("archive too large to import")

// readEvents reads an archive like archive.ReadAll, but stops as soon as
// the events read pass max bytes: a small compressed archive can inflate
// to far more than its size, and reading it whole first would let one
// archive take all the memory.
func readEvents(src io.Reader, max int64) (archive.Header, []rrweb.Event, error) {
	r, err := archive.NewReader(src)
	if err != nil {
		return archive.Header{}, nil, err
	}
	var events []rrweb.Event
	var total int64
	for {
		raw, err := r.Next()
		if err == io.EOF {
			return r.Header(), events, nil
		}
		if err != nil {
			return archive.Header{}, nil, err
		}
		if total += int64(len(raw)); total > max {
			return archive.Header{}, nil, fmt.Errorf("%w: its events pass %d bytes once inflated", ErrArchiveTooLarge, max)
		}
		var ev rrweb.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return archive.Header{}, nil, fmt.Errorf("read archive event %d: not an rrweb event: %v: %w", len(events), err, archive.ErrCorrupt)
		}
		events = append(events, ev)
	}
}
