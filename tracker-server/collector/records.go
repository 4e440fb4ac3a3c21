package collector

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"strconv"
)

// A session log holds three main kinds of record, each a kind byte followed by
// JSON: the session's context first, then one record per accepted batch,
// and, once sealing starts, the archive key chosen for it. Keeping the key
// in the log makes a seal interrupted by a crash retry under the same key,
// so the store never gets two archives for one part.
const (
	kindOpen  = 'o'
	kindBatch = 'b'
	kindSeal  = 's'
	// kindTruncated (no payload beyond the kind) marks that a batch was
	// refused because the session reached its size cap.
	kindTruncated = 't'
)

// openRecord is what the collector knows about a session part beyond its
// events. UserAgent and Country are taken from the request that opened the
// part; the client address itself is never written.
type openRecord struct {
	Site      string `json:"site"`
	Session   string `json:"session"`
	Visitor   string `json:"visitor"`
	Part      int    `json:"part"`
	UserAgent string `json:"user_agent,omitempty"`
	Country   string `json:"country,omitempty"`
	Tracker   string `json:"tracker,omitempty"`
	Created   int64  `json:"created"` // unix ms, collector clock
}

// batchRecord is one accepted batch.
type batchRecord struct {
	Seq        int64             `json:"seq"`
	ReceivedAt int64             `json:"received_at"` // unix ms, collector clock
	SentAt     int64             `json:"sent_at,omitempty"`
	Tracker    string            `json:"tracker,omitempty"`
	Events     []json.RawMessage `json:"events"`
}

// sealRecord fixes the archive key of a part whose sealing has begun.
type sealRecord struct {
	Key      string `json:"key"`
	SealedAt int64  `json:"sealed_at"` // unix ns
}

func encodeRecord(kind byte, v any) ([]byte, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode log record: %w", err)
	}
	return append([]byte{kind}, js...), nil
}

// appendBatchFrame appends rec to dst as one log frame, byte for byte what
// appendFrame(dst, encodeRecord(kindBatch, rec)) writes, assembled
// directly: json.Marshal would validate, compact and escape every event a
// second time, which DecodeBatch has done. Every event of rec must already
// be canonical (canonicalEvent).
func appendBatchFrame(dst []byte, rec batchRecord) []byte {
	start := len(dst)
	dst = append(dst, make([]byte, frameHeader)...) // filled in below
	dst = append(dst, kindBatch)
	dst = append(dst, `{"seq":`...)
	dst = strconv.AppendInt(dst, rec.Seq, 10)
	dst = append(dst, `,"received_at":`...)
	dst = strconv.AppendInt(dst, rec.ReceivedAt, 10)
	if rec.SentAt != 0 {
		dst = append(dst, `,"sent_at":`...)
		dst = strconv.AppendInt(dst, rec.SentAt, 10)
	}
	if rec.Tracker != "" {
		js, _ := json.Marshal(rec.Tracker) // a string always encodes
		dst = append(dst, `,"tracker":`...)
		dst = append(dst, js...)
	}
	dst = append(dst, `,"events":`...)
	if rec.Events == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, ev := range rec.Events {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, ev...)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, '}')
	payload := dst[start+frameHeader:]
	binary.BigEndian.PutUint32(dst[start:start+4], uint32(len(payload)))
	binary.BigEndian.PutUint32(dst[start+4:start+8], crc32.Checksum(payload, castagnoli))
	return dst
}
