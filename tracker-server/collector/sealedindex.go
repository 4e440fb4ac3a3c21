package collector

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
)

// sealedIndex remembers, for recently sealed session parts, which batch seqs
// they held. A tracker that retries a batch whose ack it missed after the
// part was sealed then gets a duplicate ack instead of a second copy, also
// across restarts, and a later part of the session gets the next part
// number. Entries older than the retention are dropped when the index is
// loaded; a session lasts at most a day, so two days covers any retry.
type sealedIndex struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// sealedEntry is one sealed part in the index.
type sealedEntry struct {
	Session string     `json:"session"`
	Part    int        `json:"part"`
	Key     string     `json:"key"`
	Seqs    [][2]int64 `json:"seqs"` // inclusive ranges, ascending
	// Sums holds each seq's batchSum in ascending seq order, so that a
	// conflicting repeat is told apart after sealing and restarts too.
	Sums []uint64 `json:"sums,omitempty"`
	// Bytes is the part's log size and Truncated whether it reached the
	// session size cap, so the cap holds across parts and restarts.
	Bytes     int64 `json:"bytes,omitempty"`
	Truncated bool  `json:"truncated,omitempty"`
	SealedAt  int64 `json:"sealed_at"` // unix ms
}

// loadSealedIndex reads the index, drops entries older than keep, rewrites
// it compacted, and opens it for appending.
func loadSealedIndex(path string, keep time.Duration, now time.Time) (*sealedIndex, []sealedEntry, error) {
	entries, f, err := compactSealed(path, keep, now)
	if err != nil {
		return nil, nil, err
	}
	return &sealedIndex{path: path, f: f}, entries, nil
}

// compact drops expired entries from the file; Run calls it now and then
// so the index of a long-running collector stays small.
func (x *sealedIndex) compact(keep time.Duration, now time.Time) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return nil
	}
	_, f, err := compactSealed(x.path, keep, now)
	if err != nil {
		return err
	}
	x.f.Close()
	x.f = f
	return nil
}

// compactSealed rewrites the index at path without entries older than keep
// (and without a torn tail) and returns the kept entries and the file
// opened for appending. An index with nothing to drop is not rewritten,
// and one that cannot be rewritten for want of disk space is kept as it
// is (a torn tail cut in place), so a collector restarts on a full disk.
func compactSealed(path string, keep time.Duration, now time.Time) ([]sealedEntry, *os.File, error) {
	var entries []sealedEntry
	var good, size int64
	f, err := os.Open(path)
	switch {
	case err == nil:
		var rerr error
		good, rerr = readFrames(f, func(p []byte) error {
			var e sealedEntry
			if err := json.Unmarshal(p, &e); err != nil {
				return fmt.Errorf("%w: sealed index entry: %v", errTornFrame, err)
			}
			entries = append(entries, e)
			return nil
		})
		if st, serr := f.Stat(); serr == nil {
			size = st.Size()
		}
		f.Close()
		if rerr != nil && !errors.Is(rerr, errTornFrame) {
			return nil, nil, fmt.Errorf("read sealed index: %w", rerr)
		}
	case errors.Is(err, os.ErrNotExist):
	default:
		return nil, nil, fmt.Errorf("open sealed index: %w", err)
	}
	all := len(entries)
	cutoff := now.Add(-keep).UnixMilli()
	entries = slices.DeleteFunc(entries, func(e sealedEntry) bool { return e.SealedAt < cutoff })
	if err == nil && len(entries) == all && good == size {
		af, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("open sealed index: %w", err)
		}
		return entries, af, nil
	}
	var buf []byte
	for _, e := range entries {
		js, err := json.Marshal(e)
		if err != nil {
			return nil, nil, fmt.Errorf("encode sealed index: %w", err)
		}
		buf = appendFrame(buf, js)
	}
	if werr := writeFileDurable(path, buf, 0o600); werr != nil {
		if !diskFull(werr) || err != nil {
			return nil, nil, werr
		}
		// Keep the old file: expired entries only cost memory until the
		// next compaction, and cutting a torn tail needs no new blocks.
		if good != size {
			if err := cutTail(path, good); err != nil {
				return nil, nil, err
			}
		}
	}
	af, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open sealed index: %w", err)
	}
	return entries, af, nil
}

// add appends an entry durably.
func (x *sealedIndex) add(e sealedEntry) error {
	js, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode sealed index: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return errors.New("sealed index closed")
	}
	if _, err := x.f.Write(appendFrame(nil, js)); err != nil {
		return fmt.Errorf("write sealed index: %w", err)
	}
	if err := x.f.Sync(); err != nil {
		return fmt.Errorf("sync sealed index: %w", err)
	}
	return nil
}

func (x *sealedIndex) close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return nil
	}
	err := x.f.Close()
	x.f = nil
	return err
}

// seqRanges compresses seqs into ascending inclusive ranges.
func seqRanges(seqs []int64) [][2]int64 {
	s := slices.Clone(seqs)
	slices.Sort(s)
	s = slices.Compact(s)
	var out [][2]int64
	for _, v := range s {
		if n := len(out); n > 0 && out[n-1][1]+1 == v {
			out[n-1][1] = v
			continue
		}
		out = append(out, [2]int64{v, v})
	}
	return out
}
