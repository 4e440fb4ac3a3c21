package collector

import (
	"encoding/json"
	"fmt"
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
