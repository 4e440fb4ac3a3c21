package pull

import (
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
)

// inMemoryEvents is how many bytes of an archive's events are held while
// it is read. An archive within it is read once and prepared from memory;
// past it, the events read so far are let go and the archive is read a
// second time, each event prepared as it comes, so what an import holds
// does not grow with an archive's inflated size. A variable so tests can
// take the second path with small archives.
var inMemoryEvents int64 = 8 << 20

// archiveRead is one archive read and its session prepared for the
// writer: the header, the prepared session (unset when the header names
// no session), its asset manifest (nil for version 1) and the asset bytes
// it carries.
type archiveRead struct {
	hdr    archive.Header
	prep   workspace.Prepared
	assets []archive.AssetRef
	carry  []archive.AssetData
}

// prepareArchive reads an archive from open (which gives its bytes from
// the start each time it is called), checks it whole (digests, trailer,
// the max cap on its inflated events) and prepares its session.
func prepareArchive(open func() (io.ReadCloser, error), defs core.Definitions, max int64) (archiveRead, error) {
	var (
		out     archiveRead
		events  []rrweb.Event
		stamps  []int64
		total   int64
		spilled bool
	)
	err := eachArchiveEvent(open, &out, func(ev rrweb.Event, size int) error {
		if total += int64(size); total > max {
			return fmt.Errorf("%w: its events pass %d bytes once inflated", ErrArchiveTooLarge, max)
		}
		if !spilled && total > inMemoryEvents {
			stamps, events, spilled = derive.Timestamps(events), nil, true
		}
		if spilled {
			stamps = append(stamps, ev.Timestamp)
		} else {
			events = append(events, ev)
		}
		return nil
	})
	if err != nil || out.hdr.Session == "" {
		return out, err
	}
	if !spilled {
		out.prep, err = workspace.Prepare(out.hdr, events, nil, defs)
		return out, err
	}
	// Second pass: the archive checked out whole in the first, so each
	// event can go to the preparer as it is read.
	p, err := workspace.NewPreparer(out.hdr, stamps, defs)
	if err != nil {
		return out, err
	}
	if err := eachArchiveEvent(open, nil, func(ev rrweb.Event, _ int) error { return p.Add(ev) }); err != nil {
		return out, fmt.Errorf("read archive again: %w", err)
	}
	out.prep, err = p.Finish()
	return out, err
}

// eachArchiveEvent reads the archive open gives, setting out's header,
// manifest and carried assets (unless out is nil), and calls fn with each
// event and its size in bytes.
func eachArchiveEvent(open func() (io.ReadCloser, error), out *archiveRead, fn func(ev rrweb.Event, size int) error) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	r, err := archive.NewReader(rc)
	if err != nil {
		return err
	}
	defer r.Close()
	if out != nil {
		r.OnAssetData(func(d archive.AssetData) error {
			out.carry = append(out.carry, d)
			return nil
		})
	}
	for n := 0; ; n++ {
		raw, err := r.Next()
		if err == io.EOF {
			if out != nil {
				out.hdr, out.assets = r.Header(), r.Assets()
			}
			return nil
		}
		if err != nil {
			return err
		}
		// The reader checked the line is one JSON object, so the event's
		// own decoder reads it directly (through a decoder it would be
		// parsed twice: once to find its end, once by UnmarshalJSON).
		var ev rrweb.Event
		if err := ev.UnmarshalJSON(raw); err != nil {
			return fmt.Errorf("read archive event %d: not an rrweb event: %v: %w", n, err, archive.ErrCorrupt)
		}
		if err := fn(ev, len(raw)); err != nil {
			return err
		}
	}
}
