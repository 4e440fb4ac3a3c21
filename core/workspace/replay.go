package workspace

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Replay chunks split a session's events by recorded time so a player can
// start before the whole session is read; a chunk also closes at a size
// bound so one busy minute does not become one huge blob.
const (
	chunkSpanMS     = 60_000
	chunkMaxBytes   = 1 << 20
	replayGzipLevel = gzip.BestSpeed
)

// gzipWriters reuses compressors: a new one allocates hundreds of KB of
// tables, more than a typical chunk.
var gzipWriters = sync.Pool{New: func() any {
	zw, err := gzip.NewWriterLevel(io.Discard, replayGzipLevel)
	if err != nil {
		panic(err) // the level is a valid constant
	}
	return zw
}}

// replayChunk is one compressed slice of a session's events.
type replayChunk struct {
	firstTS, lastTS int64
	events          int
	data            []byte
}

// appendEventJSON writes e as rrweb's JSON shape. Data is already JSON (it
// came out of a decoder), so it is copied as is instead of re-encoded.
func appendEventJSON(b []byte, e rrweb.Event) []byte {
	b = append(b, `{"type":`...)
	b = strconv.AppendInt(b, int64(e.Type), 10)
	b = append(b, `,"data":`...)
	if len(e.Data) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, e.Data...)
	}
	b = append(b, `,"timestamp":`...)
	b = strconv.AppendInt(b, e.Timestamp, 10)
	if e.Delay != nil {
		b = append(b, `,"delay":`...)
		b = strconv.AppendFloat(b, *e.Delay, 'g', -1, 64)
	}
	return append(b, '}')
}

// encodeChunks compresses events into time chunks.
func encodeChunks(events []rrweb.Event) ([]replayChunk, error) {
	var enc chunkEncoder
	for _, e := range events {
		if err := enc.add(e); err != nil {
			return nil, err
		}
	}
	return enc.finish()
}

// chunkEncoder compresses events given one at a time into time chunks,
// holding only the chunk being filled uncompressed.
type chunkEncoder struct {
	chunks []replayChunk
	raw    []byte
	cur    replayChunk
	start  int64
}

func (c *chunkEncoder) add(e rrweb.Event) error {
	if c.cur.events > 0 && (e.Timestamp-c.start > chunkSpanMS || len(c.raw) > chunkMaxBytes) {
		if err := c.flush(); err != nil {
			return err
		}
	}
	if c.cur.events == 0 {
		c.start, c.cur.firstTS, c.cur.lastTS = e.Timestamp, e.Timestamp, e.Timestamp
		if c.raw == nil {
			if b, ok := chunkBuffers.Get().(*[]byte); ok {
				c.raw = *b
			}
		}
		c.raw = append(c.raw, '[')
	} else {
		c.raw = append(c.raw, ',')
	}
	c.raw = appendEventJSON(c.raw, e)
	c.cur.events++
	c.cur.firstTS = min(c.cur.firstTS, e.Timestamp)
	c.cur.lastTS = max(c.cur.lastTS, e.Timestamp)
	return nil
}

func (c *chunkEncoder) flush() error {
	if c.cur.events == 0 {
		return nil
	}
	c.raw = append(c.raw, ']')
	var buf bytes.Buffer
	buf.Grow(len(c.raw) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(c.raw); err != nil {
		return fmt.Errorf("compress replay: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress replay: %w", err)
	}
	c.cur.data = buf.Bytes()
	c.chunks = append(c.chunks, c.cur)
	c.cur, c.raw = replayChunk{}, c.raw[:0]
	return nil
}

// finish compresses the last chunk and returns them all.
func (c *chunkEncoder) finish() ([]replayChunk, error) {
	err := c.flush()
	if c.raw != nil && cap(c.raw) <= maxPooledChunkBuffer {
		b := c.raw[:0]
		chunkBuffers.Put(&b)
	}
	c.raw = nil
	if err != nil {
		return nil, err
	}
	return c.chunks, nil
}

// chunkBuffers keeps the buffers chunks are written into between
// sessions: growing a new one for each session was a sixth of what an
// import allocates. One grown past maxPooledChunkBuffer by a huge event
// is left to the collector.
var chunkBuffers sync.Pool

const maxPooledChunkBuffer = 2 * chunkMaxBytes

// decodeChunk decompresses and decodes one stored chunk.
func decodeChunk(data []byte) ([]rrweb.Event, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decompress replay chunk: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("decompress replay chunk: %w", err)
	}
	var part []rrweb.Event
	if err := json.Unmarshal(raw, &part); err != nil {
		return nil, fmt.Errorf("decode replay chunk: %w", err)
	}
	return part, nil
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// loadReplay reads a session's stored header and events.
func loadReplay(ctx context.Context, q querier, sid int64) (archive.Header, []rrweb.Event, error) {
	var (
		h      archive.Header
		hjson  string
		events []rrweb.Event
	)
	if err := q.QueryRowContext(ctx, `SELECT header FROM replays WHERE sid = ?`, sid).Scan(&hjson); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return h, nil, fmt.Errorf("replay of session %d: %w", sid, ErrNotFound)
		}
		return h, nil, fmt.Errorf("read replay header: %w", err)
	}
	if err := json.Unmarshal([]byte(hjson), &h); err != nil {
		return h, nil, fmt.Errorf("decode replay header: %w", err)
	}
	err := eachChunk(ctx, q, sid, func(raw []byte) error {
		var part []rrweb.Event
		if err := json.Unmarshal(raw, &part); err != nil {
			return fmt.Errorf("decode replay chunk: %w", err)
		}
		events = append(events, part...)
		return nil
	})
	return h, events, err
}

// eachChunk calls fn with each decompressed chunk (a JSON array) in order.
func eachChunk(ctx context.Context, q querier, sid int64, fn func(raw []byte) error) error {
	rows, err := q.QueryContext(ctx, `SELECT data FROM replay_chunks WHERE sid = ? ORDER BY chunk`, sid)
	if err != nil {
		return fmt.Errorf("read replay: %w", err)
	}
	defer rows.Close()
	var zr *gzip.Reader
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return fmt.Errorf("read replay chunk: %w", err)
		}
		if zr == nil {
			zr, err = gzip.NewReader(bytes.NewReader(data))
		} else {
			err = zr.Reset(bytes.NewReader(data))
		}
		if err != nil {
			return fmt.Errorf("decompress replay chunk: %w", err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			return fmt.Errorf("decompress replay chunk: %w", err)
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReplayEvents returns a session's recorded rrweb events in stored order.
func (db *DB) ReplayEvents(ctx context.Context, id string) ([]rrweb.Event, error) {
	_, events, err := db.Replay(ctx, id)
	return events, err
}

// Replay returns a session's archive header (merged over its parts) and
// its events, which is everything needed to export it again.
func (db *DB) Replay(ctx context.Context, id string) (archive.Header, []rrweb.Event, error) {
	sid, err := db.rid(ctx, db.db, id)
	if err != nil {
		return archive.Header{}, nil, err
	}
	return loadReplay(ctx, db.db, sid)
}

// WriteReplayJSON writes a session's events to w as one JSON array without
// decoding them, for serving a replay to the player.
func (db *DB) WriteReplayJSON(ctx context.Context, id string, w io.Writer) error {
	sid, err := db.rid(ctx, db.db, id)
	if err != nil {
		return err
	}
	first := true
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	err = eachChunk(ctx, db.db, sid, func(raw []byte) error {
		inner := bytes.TrimSpace(raw)
		inner = bytes.TrimSuffix(bytes.TrimPrefix(inner, []byte("[")), []byte("]"))
		if len(inner) == 0 {
			return nil
		}
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		_, err := w.Write(inner)
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "]")
	return err
}

// rid returns the integer key of session id.
func (db *DB) rid(ctx context.Context, q querier, id string) (int64, error) {
	var sid int64
	err := q.QueryRowContext(ctx, `SELECT rid FROM sessions WHERE id = ?`, id).Scan(&sid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("session %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("find session %s: %w", id, err)
	}
	return sid, nil
}
