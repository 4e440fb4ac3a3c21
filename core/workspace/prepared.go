package workspace

import (
	"fmt"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Prepared is one session made ready to store: its facts derived and its
// replay compressed. Preparing is the CPU-heavy half of an import and
// touches nothing shared, so importers run it on worker goroutines and
// leave the single SQLite writer only the writing; the events themselves
// need not be kept once prepared.
type Prepared struct {
	Header archive.Header
	Facts  *core.Facts
	events int
	chunks []replayChunk
}

// Prepare derives facts from events (unless facts is given) and
// compresses the replay. An archive that names no session is refused
// here, before any work.
func Prepare(hdr archive.Header, events []rrweb.Event, facts *core.Facts, defs core.Definitions) (Prepared, error) {
	if hdr.Session == "" {
		return Prepared{Header: hdr}, fmt.Errorf("prepare import: %w: the header names no session", ErrInvalidSession)
	}
	if facts != nil {
		chunks, err := encodeChunks(events)
		return Prepared{Header: hdr, Facts: facts, events: len(events), chunks: chunks}, err
	}
	p, err := NewPreparer(hdr, derive.Timestamps(events), defs)
	if err != nil {
		return Prepared{Header: hdr}, err
	}
	for _, e := range events {
		if err := p.Add(e); err != nil {
			return Prepared{Header: hdr}, err
		}
	}
	return p.Finish()
}

// Preparer prepares a session from events given one at a time, holding
// only the derived state, the compressed chunks and the chunk being
// filled: an archive larger than memory can be imported as it is read
// (a first pass for its timestamps, a second for its events; see
// derive.Stream).
type Preparer struct {
	hdr    archive.Header
	stream *derive.Stream
	enc    chunkEncoder
	events int
}

// NewPreparer starts preparing the session with header hdr whose events
// carry timestamps, in file order.
func NewPreparer(hdr archive.Header, timestamps []int64, defs core.Definitions) (*Preparer, error) {
	if hdr.Session == "" {
		return nil, fmt.Errorf("prepare import: %w: the header names no session", ErrInvalidSession)
	}
	return &Preparer{hdr: hdr, stream: derive.NewStream(hdr, timestamps, defs)}, nil
}

// Add takes the session's next event.
func (p *Preparer) Add(e rrweb.Event) error {
	p.stream.Add(e)
	p.events++
	return p.enc.add(e)
}

// Finish returns the prepared session; call it once, after the last Add.
func (p *Preparer) Finish() (Prepared, error) {
	chunks, err := p.enc.finish()
	if err != nil {
		return Prepared{Header: p.hdr}, err
	}
	return Prepared{Header: p.hdr, Facts: p.stream.Facts(), events: p.events, chunks: chunks}, nil
}

// Events is how many events the prepared session holds.
func (p Prepared) Events() int { return p.events }

// ReplayBytes is the size of its compressed replay.
func (p Prepared) ReplayBytes() int {
	n := 0
	for _, c := range p.chunks {
		n += len(c.data)
	}
	return n
}

// decodeChunks reads compressed replay chunks back into events: a merge
// with a part already stored needs them, which is rare enough not to keep
// every session's events in memory for it.
func decodeChunks(chunks []replayChunk) ([]rrweb.Event, error) {
	var events []rrweb.Event
	for _, c := range chunks {
		part, err := decodeChunk(c.data)
		if err != nil {
			return nil, err
		}
		events = append(events, part...)
	}
	return events, nil
}

// AddPrepared stores a prepared session in the batch, as Add would.
func (b *Batch) AddPrepared(p Prepared, archiveKey, sha string) (ImportResult, error) {
	return b.addItem(incoming{hdr: p.Header, facts: p.Facts, count: p.events, chunks: p.chunks}, archiveKey, sha)
}

// incoming is one session on its way into the batch: its events, or
// (prepared) only its compressed replay and event count.
type incoming struct {
	hdr    archive.Header
	events []rrweb.Event
	facts  *core.Facts
	count  int
	chunks []replayChunk
}

// eventsForMerge returns the session's events, decoding its compressed
// replay when the events were not kept.
func (in incoming) eventsForMerge() ([]rrweb.Event, error) {
	if in.events != nil || in.count == 0 {
		return in.events, nil
	}
	return decodeChunks(in.chunks)
}
