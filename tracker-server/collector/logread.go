package collector

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// sessionLog is a session log as read back from disk.
type sessionLog struct {
	Open    openRecord
	Batches []batchRecord
	Seal    *sealRecord
	// Size is the length of the intact prefix and Frames its frame count.
	Size   int64
	Frames uint64
	// Cut is how many bytes of torn tail recovery removed.
	Cut int64
}

// errNoOpenRecord means a log lacks its first record: it was cut before the
// create was durable, so no batch in it was ever acknowledged.
var errNoOpenRecord = errors.New("session log has no open record")

// readLog reads a session log. With repair set, a torn tail (a crash during
// an append that was therefore never acknowledged) is cut off the file and
// the cut is fsynced; without it the tail is only skipped.
func readLog(path string, repair bool) (*sessionLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open session log: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat session log: %w", err)
	}
	lg, err := parseLog(f)
	if err != nil && !errors.Is(err, errNoOpenRecord) {
		return nil, err
	}
	lg.Cut = st.Size() - lg.Size
	if lg.Cut > 0 && repair {
		if err := cutTail(path, lg.Size); err != nil {
			return nil, err
		}
	}
	return lg, err
}

// parseLog decodes a log's intact prefix. A torn or corrupt frame ends it
// (Size says where); only read errors and a missing open record are errors.
func parseLog(r io.Reader) (*sessionLog, error) {
	var lg sessionLog
	haveOpen := false
	good, err := readFrames(r, func(p []byte) error {
		if len(p) == 0 {
			return fmt.Errorf("%w: empty record", errTornFrame)
		}
		switch p[0] {
		case kindOpen:
			if err := json.Unmarshal(p[1:], &lg.Open); err != nil {
				return fmt.Errorf("%w: open record: %v", errTornFrame, err)
			}
			haveOpen = true
		case kindBatch:
			var b batchRecord
			if err := json.Unmarshal(p[1:], &b); err != nil {
				return fmt.Errorf("%w: batch record: %v", errTornFrame, err)
			}
			lg.Batches = append(lg.Batches, b)
		case kindTruncated:
		case kindSeal:
			var s sealRecord
			if err := json.Unmarshal(p[1:], &s); err != nil {
				return fmt.Errorf("%w: seal record: %v", errTornFrame, err)
			}
			lg.Seal = &s
		default:
			return fmt.Errorf("%w: unknown record kind %q", errTornFrame, p[0])
		}
		lg.Frames++
		return nil
	})
	if err != nil && !errors.Is(err, errTornFrame) {
		return nil, err
	}
	lg.Size = good
	if !haveOpen {
		return &lg, errNoOpenRecord
	}
	return &lg, nil
}

func cutTail(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("cut torn log tail: %w", err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("cut torn log tail: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("cut torn log tail: %w", err)
	}
	return nil
}
