package collector

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
)

// logIndex is a session log as sealing and recovery need it: the open and
// seal records and, per batch, only its seq, digest and place in the file.
// Events stay on disk and are read one batch at a time (eachBatch), so the
// memory sealing and recovery take does not grow with a session's size.
type logIndex struct {
	path    string
	Open    openRecord
	Seal    *sealRecord
	Batches []batchRef // in log order
	// Truncated says a batch was refused for the session's size cap.
	Truncated bool
	// LastReceived is the receive time (unix ms) of the last batch.
	LastReceived int64
	// Size is the length of the intact prefix, Frames its frame count,
	// and Cut how many bytes of torn tail were found after it.
	Size   int64
	Frames uint64
	Cut    int64
}

// batchRef locates one batch record in its log.
type batchRef struct {
	seq int64
	sum uint64
	off int64 // offset of the frame header
	n   uint32
}

// indexLog reads a session log's records without keeping events. With
// repair set a torn tail is cut off the file (as readLog does).
func indexLog(path string, repair bool) (*logIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open session log: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat session log: %w", err)
	}
	ix := &logIndex{path: path}
	haveOpen := false
	var off int64
	good, err := readFrames(f, func(p []byte) error {
		at := off
		off += frameHeader + int64(len(p))
		if len(p) == 0 {
			return fmt.Errorf("%w: empty record", errTornFrame)
		}
		switch p[0] {
		case kindOpen:
			if err := json.Unmarshal(p[1:], &ix.Open); err != nil {
				return fmt.Errorf("%w: open record: %v", errTornFrame, err)
			}
			haveOpen = true
		case kindBatch:
			var b batchRecord
			if err := json.Unmarshal(p[1:], &b); err != nil {
				return fmt.Errorf("%w: batch record: %v", errTornFrame, err)
			}
			ix.Batches = append(ix.Batches, batchRef{seq: b.Seq, sum: batchSum(b.Events), off: at, n: uint32(len(p))})
			ix.LastReceived = b.ReceivedAt
		case kindSeal:
			var s sealRecord
			if err := json.Unmarshal(p[1:], &s); err != nil {
				return fmt.Errorf("%w: seal record: %v", errTornFrame, err)
			}
			ix.Seal = &s
		case kindTruncated:
			ix.Truncated = true
		default:
			return fmt.Errorf("%w: unknown record kind %q", errTornFrame, p[0])
		}
		ix.Frames++
		return nil
	})
	if err != nil && !errors.Is(err, errTornFrame) {
		return nil, err
	}
	ix.Size = good
	ix.Cut = st.Size() - good
	if ix.Cut > 0 && repair {
		if err := cutTail(path, good); err != nil {
			return nil, err
		}
	}
	if !haveOpen {
		return ix, errNoOpenRecord
	}
	return ix, nil
}

// ordered returns the batches by seq, keeping the first copy of a
// repeated seq (a log holds one twice only if an append failed after
// writing).
func (ix *logIndex) ordered() []batchRef {
	out := slices.Clone(ix.Batches)
	slices.SortStableFunc(out, func(a, b batchRef) int { return cmp.Compare(a.seq, b.seq) })
	return slices.CompactFunc(out, func(a, b batchRef) bool { return a.seq == b.seq })
}

// eachBatch reads the given batches from the log one at a time, in the
// order given, checking each frame's checksum again.
func (ix *logIndex) eachBatch(refs []batchRef, fn func(batchRecord) error) error {
	f, err := os.Open(ix.path)
	if err != nil {
		return fmt.Errorf("open session log: %w", err)
	}
	defer f.Close()
	var buf []byte
	for _, r := range refs {
		need := frameHeader + int(r.n)
		if cap(buf) < need {
			buf = make([]byte, need)
		}
		buf = buf[:need]
		if _, err := f.ReadAt(buf, r.off); err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("read session log %s at %d: %w", ix.path, r.off, io.ErrUnexpectedEOF)
			}
			return fmt.Errorf("read session log: %w", err)
		}
		p := buf[frameHeader:]
		if binary.BigEndian.Uint32(buf[0:4]) != r.n || crc32.Checksum(p, castagnoli) != binary.BigEndian.Uint32(buf[4:8]) || p[0] != kindBatch {
			return fmt.Errorf("session log %s changed under the seal at offset %d", ix.path, r.off)
		}
		var b batchRecord
		if err := json.Unmarshal(p[1:], &b); err != nil {
			return fmt.Errorf("decode batch record: %w", err)
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}
