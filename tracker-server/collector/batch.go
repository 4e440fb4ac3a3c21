package collector

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
)

// Batch is one POST /v1/ingest body from the tracker (docs/collector-api.md, "The
// ingest batch"). Events stay raw: the collector never interprets them beyond
// checking that each is an rrweb event envelope.
type Batch struct {
	Site    string            `json:"site"`
	Session string            `json:"session"`
	Visitor string            `json:"visitor"`
	Seq     int64             `json:"seq"`
	SentAt  int64             `json:"sent_at,omitempty"`
	Tracker string            `json:"tracker,omitempty"`
	Events  []json.RawMessage `json:"events"`

	// canonical is set by DecodeBatch: every event is valid JSON in the
	// form encoding/json writes it, so the log record can be assembled
	// from the bytes as they are (appendBatchFrame).
	canonical bool
	// assetEvents are the events the asset prefetch can learn from
	// (assetRelevant); meaningful only when canonical is set.
	assetEvents []json.RawMessage
}

// Limits bound what DecodeBatch accepts, so one client cannot make the
// collector hold or write unbounded data.
type Limits struct {
	// MaxBody caps the body as received (compressed or not), in bytes.
	MaxBody int64
	// MaxDecoded caps the body after gzip decompression, in bytes.
	MaxDecoded int64
	// MaxEvents caps the number of events in one batch.
	MaxEvents int
}

// Batch decoding errors, matched with errors.Is by the ingest handler to
// choose a status code.
var (
	// ErrTooLarge means the body, before or after decompression, exceeds its cap.
	ErrTooLarge = errors.New("batch too large")
	// ErrMalformed means the body is not a well-formed batch.
	ErrMalformed = errors.New("malformed batch")
)

// maxJSONDepth is the nesting limit of encoding/json, named in the error
// a deeper document gets.
const maxJSONDepth = 10000

// maxSeq bounds sequence numbers to what every JSON reader keeps exactly.
const maxSeq = 1 << 53

// DecodeBatch decodes and validates one ingest body. body must already be
// capped at lim.MaxBody by the caller (a longer body is rejected here too).
// A body starting with the gzip magic bytes is decompressed first, so a
// beacon can send compressed bytes without a Content-Encoding header.
func DecodeBatch(body []byte, lim Limits) (*Batch, error) {
	if lim.MaxBody > 0 && int64(len(body)) > lim.MaxBody {
		return nil, fmt.Errorf("%w: body over %d bytes", ErrTooLarge, lim.MaxBody)
	}
	raw := body
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		var err error
		if raw, err = gunzip(body, lim.MaxDecoded); err != nil {
			return nil, err
		}
	} else if lim.MaxDecoded > 0 && int64(len(body)) > lim.MaxDecoded {
		return nil, fmt.Errorf("%w: body over %d bytes", ErrTooLarge, lim.MaxDecoded)
	}
	// Invalid UTF-8 can only sit inside JSON strings (anywhere else it is
	// a syntax error); it becomes U+FFFD so that archives, the workspace
	// and browsers only ever see valid text. Refusing the batch would lose
	// a whole batch to one bad byte a page happened to contain.
	if !utf8.Valid(raw) {
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	b, ok := scanBatch(raw)
	if !ok {
		var err error
		if b, err = decodeBatchJSON(raw); err != nil {
			return nil, err
		}
	}
	if err := b.validate(lim); err != nil {
		return nil, err
	}
	return &b, nil
}

// decodeBatchJSON decodes a batch body of any form with encoding/json.
func decodeBatchJSON(raw []byte) (Batch, error) {
	// seq is a pointer here so that a missing seq is told from seq 0.
	var wire struct {
		Batch
		Seq *int64 `json:"seq"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&wire); err != nil {
		return Batch{}, fmt.Errorf("%w: %s", ErrMalformed, jsonProblem(err))
	}
	if dec.More() {
		return Batch{}, fmt.Errorf("%w: trailing data after the batch object", ErrMalformed)
	}
	if wire.Seq == nil {
		return Batch{}, fmt.Errorf("%w: missing seq", ErrMalformed)
	}
	b := wire.Batch
	b.Seq = *wire.Seq
	return b, nil
}

// gzipReaders recycles decompressors: each holds a 32 KiB window that
// would otherwise be allocated for every gzipped batch.
var gzipReaders sync.Pool

func gunzip(body []byte, maxDecoded int64) ([]byte, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(body))
	} else {
		err = zr.Reset(bytes.NewReader(body))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: bad gzip header: %v", ErrMalformed, err)
	}
	defer gzipReaders.Put(zr)
	limit := maxDecoded
	if limit <= 0 {
		limit = 1 << 62
	}
	// The gzip trailer states the decompressed size; it is only a hint
	// (the sender writes it), so it is bounded by the cap and by what
	// deflate can expand this body to.
	hint := int64(0)
	if len(body) >= 4 {
		hint = int64(binary.LittleEndian.Uint32(body[len(body)-4:]))
	}
	hint = min(hint, limit, int64(len(body))*1032)
	var buf bytes.Buffer
	buf.Grow(int(hint) + bytes.MinRead) // ReadFrom wants MinRead spare to see EOF
	_, err = buf.ReadFrom(io.LimitReader(zr, limit+1))
	out := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%w: truncated or corrupt gzip: %v", ErrMalformed, err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("%w: decompressed body over %d bytes", ErrTooLarge, maxDecoded)
	}
	return out, nil
}

func (b *Batch) validate(lim Limits) error {
	if b.Site == "" {
		return fmt.Errorf("%w: missing site", ErrMalformed)
	}
	if len(b.Site) > 64 {
		return fmt.Errorf("%w: site key longer than 64 characters", ErrMalformed)
	}
	if !validID(b.Session) {
		return fmt.Errorf("%w: session must be 8-64 characters of [A-Za-z0-9_-]", ErrMalformed)
	}
	if !validID(b.Visitor) {
		return fmt.Errorf("%w: visitor must be 8-64 characters of [A-Za-z0-9_-]", ErrMalformed)
	}
	if b.Seq < 0 || b.Seq > maxSeq {
		return fmt.Errorf("%w: seq %d out of range", ErrMalformed, b.Seq)
	}
	if len(b.Tracker) > 64 {
		return fmt.Errorf("%w: tracker version longer than 64 characters", ErrMalformed)
	}
	if b.Events == nil {
		return fmt.Errorf("%w: missing events array", ErrMalformed)
	}
	if lim.MaxEvents > 0 && len(b.Events) > lim.MaxEvents {
		return fmt.Errorf("%w: %d events, at most %d per batch", ErrTooLarge, len(b.Events), lim.MaxEvents)
	}
	for i, ev := range b.Events {
		if len(ev) == 0 || ev[0] != '{' {
			return fmt.Errorf("%w: event %d: not a JSON object", ErrMalformed, i)
		}
		ev = canonicalEvent(ev)
		b.Events[i] = ev
		env, sure := readEnvelope(ev)
		if !sure {
			// Unusual spelling or values: encoding/json decides, and
			// words the error.
			if err := checkEvent(ev); err != nil {
				return fmt.Errorf("%w: event %d: %v", ErrMalformed, i, err)
			}
			b.assetEvents = append(b.assetEvents, ev)
			continue
		}
		if env.timestamp < 0 || env.timestamp > maxSeq {
			return fmt.Errorf("%w: event %d: timestamp out of range", ErrMalformed, i)
		}
		if assetRelevant(env) {
			b.assetEvents = append(b.assetEvents, ev)
		}
	}
	b.canonical = true
	return nil
}

// batchSum is the digest the collector keeps per remembered seq to tell a
// retry (same events) from a different batch reusing the seq.
func batchSum(events []json.RawMessage) uint64 {
	h := sha256.New()
	var n [8]byte
	for _, ev := range events {
		binary.BigEndian.PutUint64(n[:], uint64(len(ev)))
		h.Write(n[:])
		h.Write(ev)
	}
	return binary.BigEndian.Uint64(h.Sum(nil))
}

// eventEnvelope is the part of an rrweb event the collector relies on.
type eventEnvelope struct {
	Type      *int64   `json:"type"`
	Timestamp *float64 `json:"timestamp"`
}

func checkEvent(raw json.RawMessage) error {
	if len(raw) == 0 || raw[0] != '{' {
		return errors.New("not a JSON object")
	}
	var env eventEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return errors.New(jsonProblem(err))
	}
	if env.Type == nil {
		return errors.New("missing integer type")
	}
	if env.Timestamp == nil {
		return errors.New("missing numeric timestamp")
	}
	if *env.Timestamp < 0 || *env.Timestamp > maxSeq {
		return errors.New("timestamp out of range")
	}
	return nil
}

// validID reports whether s is a tracker-made id: 8-64 of [A-Za-z0-9_-].
// The same rule keeps ids safe inside file names and archive keys.
func validID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// jsonProblem words a JSON error without echoing the client's bytes back.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && strings.Contains(se.Error(), "exceeded max depth"):
		// encoding/json stops at this depth; the offset alone would read
		// as a typo in the client's JSON.
		return fmt.Sprintf("JSON nesting deeper than %d levels", maxJSONDepth)
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "value"
		}
		return fmt.Sprintf("%s has the wrong type (%s, want %s)", field, te.Value, te.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
