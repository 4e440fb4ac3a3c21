package index

import (
	"unsafe"
)

// littleEndianHost says whether this machine stores integers as the file
// does; then columns are copied from the file's bytes in one memmove
// instead of decoded value by value, which was most of reading a 1M
// session index.
var littleEndianHost = func() bool {
	var x uint16 = 1
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// copyRaw copies the file's little-endian bytes into a 4- or 8-byte
// integer or float slice; false when the host's byte order differs.
func copyRaw[T uint32 | int32 | uint64 | int64 | float64](out []T, b []byte) bool {
	if !littleEndianHost || len(out) == 0 {
		return littleEndianHost
	}
	size := int(unsafe.Sizeof(out[0]))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), size*len(out)), b)
	return true
}
