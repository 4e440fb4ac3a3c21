package workspace

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
)

// ArchiveDigests is a compact set of the imported archives' digests, 8
// bytes each: a folder sync, which hashes every file of its folder on
// every run, asks it first and asks the workspace (HasArchive) only when
// it may hold a digest, so a new archive costs no query.
type ArchiveDigests struct {
	prefixes []uint64 // the first 8 bytes of each sha256, sorted
	// loose is set when some digest is not a sha256 in hex (older or
	// hand-made records): then every lookup may hold it.
	loose bool
}

// ArchiveDigests reads the digests of every imported archive.
func (db *DB) ArchiveDigests(ctx context.Context) (*ArchiveDigests, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT sha256 FROM archives`)
	if err != nil {
		return nil, fmt.Errorf("read archive digests: %w", err)
	}
	defer rows.Close()
	d := &ArchiveDigests{}
	for rows.Next() {
		var sum []byte
		if err := rows.Scan(&sum); err != nil {
			return nil, fmt.Errorf("read archive digests: %w", err)
		}
		if len(sum) != 32 {
			d.loose = true
			continue
		}
		d.prefixes = append(d.prefixes, binary.BigEndian.Uint64(sum))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read archive digests: %w", err)
	}
	slices.Sort(d.prefixes)
	return d, nil
}

// MayHave reports whether an archive with this digest (hex sha256) may be
// imported; false means it certainly is not.
func (d *ArchiveDigests) MayHave(sha string) bool {
	if d.loose || len(sha) != 64 {
		return true
	}
	sum, err := hex.DecodeString(sha[:16])
	if err != nil {
		return true
	}
	_, found := slices.BinarySearch(d.prefixes, binary.BigEndian.Uint64(sum))
	return found
}
