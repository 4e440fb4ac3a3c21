package archive

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	fastjson "github.com/segmentio/encoding/json"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// MaxLineBytes caps one line (header or event) of an archive. A full
// snapshot with inlined images can reach a few megabytes; a line beyond
// this is not a recording but an attempt to exhaust memory.
const MaxLineBytes = 64 << 20

// maxLineBytes is MaxLineBytes, lowered by tests to exercise the cap.
var maxLineBytes = MaxLineBytes

// Reader reads an archive as a stream, checking it as it goes. Archives are
// untrusted: every failure is an error matching ErrCorrupt, ErrTruncated or
// ErrUnsupportedVersion, or the error of the underlying reader, and a
// Reader never panics on any input.
type Reader struct {
	raw    *bufio.Reader // compressed bytes, to spot data after the gzip stream
	src    *errRecorder
	zr     *gzip.Reader
	lines  *bufio.Reader
	digest hash.Hash
	header Header
	events int64
	buf    []byte
	err    error

	bufs *readerBuffers // returned to readerPool by Close

	onData   func(AssetData) error
	assets   []AssetRef      // the manifest, once read
	stored   map[string]bool // digests the manifest lists
	lastData string
}

// NewReader reads and checks the header line of the archive in src.
func NewReader(src io.Reader) (*Reader, error) {
	rec := &errRecorder{r: src}
	bufs, _ := readerPool.Get().(*readerBuffers)
	if bufs == nil {
		bufs = &readerBuffers{raw: bufio.NewReader(rec)}
	} else {
		bufs.raw.Reset(rec)
	}
	raw := bufs.raw
	// RFC 1952 asks decoders to reject reserved flag bits; compress/gzip
	// ignores them.
	if head, _ := raw.Peek(4); len(head) == 4 && head[3]&0xe0 != 0 {
		return nil, fmt.Errorf("read archive: reserved gzip flags %#x: %w", head[3], ErrCorrupt)
	}
	var err error
	if bufs.zr == nil {
		bufs.zr, err = gzip.NewReader(raw)
	} else {
		err = bufs.zr.Reset(raw)
	}
	if err != nil {
		return nil, fmt.Errorf("read archive: %w", classify(err, rec, "gzip header"))
	}
	zr := bufs.zr
	// One gzip member only: anything after it is reported, not read as
	// more archive.
	zr.Multistream(false)
	if bufs.lines == nil {
		bufs.lines = bufio.NewReaderSize(zr, 64<<10)
	} else {
		bufs.lines.Reset(zr)
	}
	r := &Reader{raw: raw, src: rec, zr: zr, lines: bufs.lines, digest: sha256.New(), bufs: bufs}
	line, err := r.readLine()
	if err == io.EOF {
		return nil, fmt.Errorf("read archive: no header line: %w", ErrCorrupt)
	}
	if err != nil {
		return nil, fmt.Errorf("read archive header: %w", err)
	}
	r.digest.Write(r.buf)
	if err := json.Unmarshal(line, &r.header); err != nil {
		return nil, fmt.Errorf("read archive header: not a JSON header: %v: %w", err, ErrCorrupt)
	}
	if r.header.Format != FormatName {
		return nil, fmt.Errorf("read archive header: format %q, want %q: %w", r.header.Format, FormatName, ErrUnsupportedVersion)
	}
	if r.header.Version != Version && r.header.Version != Version1 {
		return nil, fmt.Errorf("read archive header: version %d, this build reads %d and %d: %w", r.header.Version, Version1, Version, ErrUnsupportedVersion)
	}
	return r, nil
}

// readerBuffers are a Reader's buffers and decompressor, kept between
// archives by Close: a sync reads thousands of small archives, and
// allocating about 110 KB for each was a tenth of its time.
type readerBuffers struct {
	raw, lines *bufio.Reader
	zr         *gzip.Reader
}

var readerPool sync.Pool

// errClosed is what a Reader answers after Close.
var errClosed = errors.New("read archive: reader closed")

// Close lets a later Reader reuse this one's buffers. It does not close
// the source. Reading after Close is an error; what Next returned stays
// valid (it is the caller's copy).
func (r *Reader) Close() error {
	if r.bufs == nil {
		return nil
	}
	r.bufs.raw.Reset(nil)
	r.bufs.lines.Reset(nil)
	readerPool.Put(r.bufs)
	r.bufs, r.raw, r.lines, r.zr, r.err = nil, nil, nil, nil, errClosed
	return nil
}

// Header is the archive's header line.
func (r *Reader) Header() Header { return r.header }

// OnAssetData sets fn to be called with each data line of a version 2
// archive, its digest already checked against its bytes. Set it before the
// first Next; an error from fn stops the read and Next returns it.
func (r *Reader) OnAssetData(fn func(AssetData) error) { r.onData = fn }

// Assets is the archive's asset manifest, sorted by URL. It is complete
// once Next has returned io.EOF; a version 1 archive has none (nil).
func (r *Reader) Assets() []AssetRef { return r.assets }

// Next returns the next event, compacted JSON owned by the caller. After
// the last event it checks the trailer, the gzip checksum and that nothing
// follows, and only then returns io.EOF.
func (r *Reader) Next() (json.RawMessage, error) {
	if r.err != nil {
		return nil, r.err
	}
	ev, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return ev, nil
}

func (r *Reader) next() (json.RawMessage, error) {
	for {
		line, err := r.readLine()
		if err == io.EOF {
			return nil, fmt.Errorf("read archive: ends after %d events without a trailer: %w", r.events, ErrCorrupt)
		}
		if err != nil {
			return nil, fmt.Errorf("read archive event %d: %w", r.events, err)
		}
		if bytes.HasPrefix(line, trailerPrefix) {
			if r.header.Version != Version1 && r.assets == nil {
				return nil, fmt.Errorf("read archive: version %d archive without an asset manifest: %w", r.header.Version, ErrCorrupt)
			}
			if err := r.finish(line); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		if opensWithKey(line, "trailer") {
			return nil, fmt.Errorf("read archive event %d: a malformed trailer: %w", r.events, ErrCorrupt)
		}
		if r.header.Version != Version1 {
			switch {
			case bytes.HasPrefix(line, manifestPrefix):
				if err := r.readManifest(line); err != nil {
					return nil, err
				}
				continue
			case bytes.HasPrefix(line, dataPrefix):
				if err := r.readData(line); err != nil {
					return nil, err
				}
				continue
			case opensWithKey(line, "assets"), opensWithKey(line, "asset_data"):
				return nil, fmt.Errorf("read archive event %d: a malformed asset line: %w", r.events, ErrCorrupt)
			case r.assets != nil:
				return nil, fmt.Errorf("read archive: an event after the asset manifest: %w", ErrCorrupt)
			}
		}
		if line[0] != '{' || !fastjson.Valid(line) {
			return nil, fmt.Errorf("read archive event %d: not a JSON object: %w", r.events, ErrCorrupt)
		}
		r.digest.Write(r.buf)
		r.events++
		return bytes.Clone(line), nil
	}
}

// readManifest checks and keeps the manifest line.
func (r *Reader) readManifest(line []byte) error {
	if r.assets != nil {
		return fmt.Errorf("read archive: a second asset manifest: %w", ErrCorrupt)
	}
	var m manifestLine
	if err := json.Unmarshal(line, &m); err != nil {
		return fmt.Errorf("read archive manifest: %v: %w", err, ErrCorrupt)
	}
	if err := checkManifest(m.Assets); err != nil {
		return fmt.Errorf("read archive manifest: %v: %w", err, ErrCorrupt)
	}
	r.digest.Write(r.buf)
	r.assets = append([]AssetRef{}, m.Assets...)
	r.stored = map[string]bool{}
	for _, a := range m.Assets {
		if a.SHA256 != "" {
			r.stored[a.SHA256] = true
		}
	}
	return nil
}

// readData checks one data line and hands it to the OnAssetData function.
func (r *Reader) readData(line []byte) error {
	if r.assets == nil {
		return fmt.Errorf("read archive: asset data before the manifest: %w", ErrCorrupt)
	}
	var d dataLine
	if err := json.Unmarshal(line, &d); err != nil || d.AssetData == nil {
		return fmt.Errorf("read archive asset data: not a data line: %w", ErrCorrupt)
	}
	if err := checkAssetData(*d.AssetData, r.stored, r.lastData); err != nil {
		return fmt.Errorf("read archive %v: %w", err, ErrCorrupt)
	}
	r.digest.Write(r.buf)
	r.lastData = d.AssetData.SHA256
	if r.onData != nil {
		if err := r.onData(*d.AssetData); err != nil {
			return fmt.Errorf("read archive asset data %s: %w", d.AssetData.SHA256, err)
		}
	}
	return nil
}

// finish checks the trailer line and that the stream ends right after it.
func (r *Reader) finish(line []byte) error {
	var t trailer
	if err := json.Unmarshal(line, &t); err != nil {
		return fmt.Errorf("read archive trailer: %v: %w", err, ErrCorrupt)
	}
	if t.Trailer.Events == nil || *t.Trailer.Events != r.events {
		got := "none"
		if t.Trailer.Events != nil {
			got = fmt.Sprint(*t.Trailer.Events)
		}
		return fmt.Errorf("read archive trailer: counts %s events, archive holds %d: %w", got, r.events, ErrCorrupt)
	}
	if sum := hex.EncodeToString(r.digest.Sum(nil)); t.Trailer.SHA256 != sum {
		return fmt.Errorf("read archive trailer: sha256 %q, lines hash to %q: %w", t.Trailer.SHA256, sum, ErrCorrupt)
	}
	// Reading to the end of the gzip member is what checks its CRC.
	var one [1]byte
	n, err := io.ReadFull(r.lines, one[:])
	if n > 0 {
		return fmt.Errorf("read archive: data after the trailer: %w", ErrCorrupt)
	}
	if err != io.EOF {
		return fmt.Errorf("read archive end: %w", classify(err, r.src, "gzip stream"))
	}
	if _, err := r.raw.Peek(1); err == nil {
		return fmt.Errorf("read archive: bytes after the gzip stream: %w", ErrCorrupt)
	} else if err != io.EOF {
		return fmt.Errorf("read archive end: %w", err)
	}
	return nil
}

// readLine returns the next line without its newline; r.buf holds it with
// the newline until the next call. io.EOF means the stream ended cleanly
// between lines.
func (r *Reader) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	for {
		frag, err := r.lines.ReadSlice('\n')
		if len(r.buf)+len(frag) > maxLineBytes {
			return nil, fmt.Errorf("line longer than %d bytes: %w", maxLineBytes, ErrCorrupt)
		}
		r.buf = append(r.buf, frag...)
		switch {
		case err == nil:
			line := r.buf[:len(r.buf)-1]
			if len(line) == 0 {
				return nil, fmt.Errorf("empty line: %w", ErrCorrupt)
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(r.buf) == 0:
			return nil, io.EOF
		case err == io.EOF:
			return nil, fmt.Errorf("last line has no newline: %w", ErrCorrupt)
		default:
			return nil, classify(err, r.src, "gzip stream")
		}
	}
}

// classify turns a gzip or source error into one of the archive errors,
// keeping errors of the source itself (a cancelled download is not a
// corrupt archive).
func classify(err error, src *errRecorder, what string) error {
	switch {
	case err == nil:
		return nil
	case src.err != nil && src.err != io.EOF && errors.Is(err, src.err) && src.err != io.ErrUnexpectedEOF:
		return err
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s ends early: %w", what, ErrTruncated)
	default:
		return fmt.Errorf("%s: %v: %w", what, err, ErrCorrupt)
	}
}

// opensWithKey reports whether b opens with the given key once JSON
// whitespace is ignored. A line opening with "trailer" (or, in version 2,
// "assets" or "asset_data") is never an event: the Writer could not have
// written it.
func opensWithKey(b []byte, key string) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	quoted := `"` + key + `"`
	if !bytes.HasPrefix(b, []byte(quoted)) {
		return false
	}
	b = bytes.TrimLeft(b[len(quoted):], " \t\r\n")
	return len(b) > 0 && b[0] == ':'
}

// errRecorder remembers the last error of the source reader.
type errRecorder struct {
	r   io.Reader
	err error
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.err = err
	}
	return n, err
}

// ReadAll reads a whole archive into memory, decoding every event. Use a
// Reader to stream large archives instead.
func ReadAll(src io.Reader) (Header, []rrweb.Event, error) {
	r, err := NewReader(src)
	if err != nil {
		return Header{}, nil, err
	}
	var events []rrweb.Event
	for {
		raw, err := r.Next()
		if err == io.EOF {
			return r.Header(), events, nil
		}
		if err != nil {
			return Header{}, nil, err
		}
		var ev rrweb.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return Header{}, nil, fmt.Errorf("read archive event %d: not an rrweb event: %v: %w", len(events), err, ErrCorrupt)
		}
		events = append(events, ev)
	}
}
