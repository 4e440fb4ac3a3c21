package archive

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
)

// CompressionLevel is fixed so that the same input always gives the same
// bytes. Archives are written once and kept for years, so the smaller
// output of the highest level is worth its extra CPU at seal time.
const CompressionLevel = gzip.BestCompression

// trailerPrefix starts the trailer line and no event line: the Writer
// refuses events that would look like it, so the Reader can tell them apart
// by prefix without parsing.
var trailerPrefix = []byte(`{"trailer":`)

// manifestPrefix and dataPrefix start the asset lines of a version 2
// archive; no event line may start like them either.
var (
	manifestPrefix = []byte(`{"assets":`)
	dataPrefix     = []byte(`{"asset_data":`)
)

// trailer is the last line of an archive.
type trailer struct {
	Trailer struct {
		Events *int64 `json:"events"`
		SHA256 string `json:"sha256"`
	} `json:"trailer"`
}

// Writer writes one archive as a stream: header line first, then events as
// they come, then the trailer on Close. It never holds more than one event.
type Writer struct {
	zw      *gzip.Writer
	file    *countingHash // the compressed bytes: Sum and Size
	lines   hash.Hash     // the uncompressed lines before the trailer
	events  int64
	line    bytes.Buffer
	err     error
	closed  bool
	summary string

	version  int
	manifest bool            // the manifest line is written
	stored   map[string]bool // digests the manifest lists
	lastData string          // digest of the last data line
}

// NewWriter writes the header line of an archive to dst. An empty Format
// and a zero Version (meaning Version) are filled in; Version1 is also
// written, and any other format or version is refused with
// ErrUnsupportedVersion. Times are written in UTC and a nil page list
// as [] so that equal headers give equal bytes.
func NewWriter(dst io.Writer, h Header) (*Writer, error) {
	if h.Format == "" {
		h.Format = FormatName
	}
	if h.Version == 0 {
		h.Version = Version
	}
	if h.Format != FormatName || (h.Version != Version && h.Version != Version1) {
		return nil, fmt.Errorf("new archive writer: format %q version %d: %w", h.Format, h.Version, ErrUnsupportedVersion)
	}
	h.StartedAt = h.StartedAt.UTC()
	h.EndedAt = h.EndedAt.UTC()
	if h.Pages == nil {
		h.Pages = []string{}
	}
	head, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("new archive writer: encode header: %w", err)
	}
	file := &countingHash{w: dst, h: sha256.New()}
	zw, err := gzip.NewWriterLevel(file, CompressionLevel)
	if err != nil {
		return nil, fmt.Errorf("new archive writer: %w", err)
	}
	// The zero gzip.Header has no name and no mtime, which keeps the output
	// deterministic.
	w := &Writer{zw: zw, file: file, lines: sha256.New(), version: h.Version}
	if err := w.writeLine(head); err != nil {
		return nil, fmt.Errorf("new archive writer: write header: %w", err)
	}
	return w, nil
}

// Write appends one rrweb event. The event must be a JSON object; it is
// stored compacted, on one line.
func (w *Writer) Write(event json.RawMessage) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write archive event: writer is closed")
	}
	if w.manifest {
		return errors.New("write archive event: events go before the asset manifest")
	}
	w.line.Reset()
	if err := json.Compact(&w.line, event); err != nil {
		return fmt.Errorf("write archive event %d: not valid JSON: %w", w.events, err)
	}
	b := w.line.Bytes()
	if len(b) == 0 || b[0] != '{' {
		return fmt.Errorf("write archive event %d: an event must be a JSON object", w.events)
	}
	if bytes.HasPrefix(b, trailerPrefix) {
		return fmt.Errorf("write archive event %d: an event may not start with a \"trailer\" key", w.events)
	}
	if w.version != Version1 && (bytes.HasPrefix(b, manifestPrefix) || bytes.HasPrefix(b, dataPrefix)) {
		return fmt.Errorf("write archive event %d: an event may not start with an \"assets\" or \"asset_data\" key", w.events)
	}
	if len(b)+1 > MaxLineBytes {
		return fmt.Errorf("write archive event %d: %d bytes is over the %d byte line limit", w.events, len(b), MaxLineBytes)
	}
	if err := w.writeLine(b); err != nil {
		w.err = fmt.Errorf("write archive event %d: %w", w.events, err)
		return w.err
	}
	w.events++
	return nil
}

// Close writes the trailer and ends the gzip stream. It does not close dst.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	if w.version != Version1 && !w.manifest {
		// A version 2 archive always has its manifest, empty or not, so
		// a reader can tell "no assets" from "lines lost".
		if err := w.WriteAssets(nil); err != nil {
			return err
		}
	}
	w.closed = true
	var t trailer
	n := w.events
	t.Trailer.Events = &n
	t.Trailer.SHA256 = hex.EncodeToString(w.lines.Sum(nil))
	line, err := json.Marshal(t)
	if err != nil {
		w.err = fmt.Errorf("close archive: encode trailer: %w", err)
		return w.err
	}
	line = append(line, '\n')
	if _, err := w.zw.Write(line); err != nil {
		w.err = fmt.Errorf("close archive: write trailer: %w", err)
		return w.err
	}
	if err := w.zw.Close(); err != nil {
		w.err = fmt.Errorf("close archive: %w", err)
		return w.err
	}
	w.summary = hex.EncodeToString(w.file.h.Sum(nil))
	return nil
}

// WriteAssets writes the manifest line: refs sorted by URL (a copy is
// sorted here), one entry per URL, each with a digest or a missing reason.
// It is called at most once, after the last event; a version 1 archive
// holds no manifest.
func (w *Writer) WriteAssets(refs []AssetRef) error {
	if w.err != nil {
		return w.err
	}
	switch {
	case w.closed:
		return errors.New("write archive assets: writer is closed")
	case w.version == Version1:
		return fmt.Errorf("write archive assets: a version %d archive holds no assets: %w", Version1, ErrUnsupportedVersion)
	case w.manifest:
		return errors.New("write archive assets: the manifest is already written")
	}
	refs = SortAssets(refs)
	if err := checkManifest(refs); err != nil {
		return fmt.Errorf("write archive assets: %w", err)
	}
	line, err := json.Marshal(manifestLine{Assets: refs})
	if err != nil {
		return fmt.Errorf("write archive assets: %w", err)
	}
	if len(line)+1 > MaxLineBytes {
		return fmt.Errorf("write archive assets: %d bytes is over the %d byte line limit", len(line), MaxLineBytes)
	}
	w.stored = map[string]bool{}
	for _, a := range refs {
		if a.SHA256 != "" {
			w.stored[a.SHA256] = true
		}
	}
	w.manifest = true
	if err := w.writeLine(line); err != nil {
		w.err = fmt.Errorf("write archive assets: %w", err)
		return w.err
	}
	return nil
}

// WriteAssetData writes one data line, carrying an asset's bytes inside the
// archive. Data lines come after WriteAssets, in ascending sha256 order,
// each digest listed in the manifest and matching d.Data.
func (w *Writer) WriteAssetData(d AssetData) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write archive asset data: writer is closed")
	}
	if !w.manifest {
		return errors.New("write archive asset data: write the manifest first")
	}
	if err := checkAssetData(d, w.stored, w.lastData); err != nil {
		return fmt.Errorf("write archive %w", err)
	}
	line, err := json.Marshal(dataLine{AssetData: &d})
	if err != nil {
		return fmt.Errorf("write archive asset data: %w", err)
	}
	if len(line)+1 > MaxLineBytes {
		return fmt.Errorf("write archive asset data %s: %d bytes is over the %d byte line limit", d.SHA256, len(line), MaxLineBytes)
	}
	w.lastData = d.SHA256
	if err := w.writeLine(line); err != nil {
		w.err = fmt.Errorf("write archive asset data: %w", err)
		return w.err
	}
	return nil
}

// Events is the number of events written so far.
func (w *Writer) Events() int64 { return w.events }

// Sum is the hex SHA-256 of the archive file's bytes, the digest stores keep
// as its content hash. It is empty until Close succeeds.
func (w *Writer) Sum() string { return w.summary }

// Size is the number of archive bytes written to dst so far; after Close it
// is the file size.
func (w *Writer) Size() int64 { return w.file.n }

// writeLine writes b and a newline into the gzip stream and the line digest.
func (w *Writer) writeLine(b []byte) error {
	w.lines.Write(b)
	w.lines.Write([]byte{'\n'})
	if _, err := w.zw.Write(b); err != nil {
		return err
	}
	_, err := w.zw.Write([]byte{'\n'})
	return err
}

// countingHash passes writes through to w while hashing and counting them.
type countingHash struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}
