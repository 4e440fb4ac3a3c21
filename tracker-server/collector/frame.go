package collector

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The durable logs are sequences of frames: a 4-byte big-endian payload
// length, a 4-byte CRC-32C of the payload, then the payload. A process
// killed mid-write leaves a torn last frame; readFrames detects it by a
// short read or a checksum mismatch and reports where the good prefix ends,
// so recovery cuts the tail instead of failing.
const (
	frameHeader = 8
	// maxFrame bounds one record; larger length fields are treated as a
	// torn or corrupt tail rather than allocated.
	maxFrame = 64 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendFrame appends one framed payload to dst.
func appendFrame(dst, payload []byte) []byte {
	var h [frameHeader]byte
	binary.BigEndian.PutUint32(h[0:4], uint32(len(payload)))
	binary.BigEndian.PutUint32(h[4:8], crc32.Checksum(payload, castagnoli))
	dst = append(dst, h[:]...)
	return append(dst, payload...)
}

// errTornFrame marks the first frame that is incomplete or fails its checksum.
var errTornFrame = errors.New("torn or corrupt frame")

// readFrames calls fn for each intact frame of r in order and returns the
// byte offset just past the last intact frame. A torn or corrupt frame ends
// the scan with errTornFrame (good is still valid); an error from fn or
// from reading is returned as is.
func readFrames(r io.Reader, fn func(payload []byte) error) (good int64, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var h [frameHeader]byte
	var buf []byte
	for {
		if _, err := io.ReadFull(br, h[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return good, nil
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return good, fmt.Errorf("%w: short header at offset %d", errTornFrame, good)
			}
			return good, fmt.Errorf("read log: %w", err)
		}
		n := binary.BigEndian.Uint32(h[0:4])
		if n > maxFrame {
			return good, fmt.Errorf("%w: length %d at offset %d", errTornFrame, n, good)
		}
		if cap(buf) < int(n) {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(br, buf); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return good, fmt.Errorf("%w: short payload at offset %d", errTornFrame, good)
			}
			return good, fmt.Errorf("read log: %w", err)
		}
		if crc32.Checksum(buf, castagnoli) != binary.BigEndian.Uint32(h[4:8]) {
			return good, fmt.Errorf("%w: checksum mismatch at offset %d", errTornFrame, good)
		}
		if err := fn(buf); err != nil {
			return good, err
		}
		good += frameHeader + int64(n)
	}
}
