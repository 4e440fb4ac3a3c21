package archive

import (
	"context"
	"io"
	"time"
)

// Store is where sealed archives live: a folder, an S3 bucket. The collector
// writes to one and the workbench reads from one. Modelled on Litestream's
// ReplicaClient: small, ctx-first and streaming, so a backend never has to
// hold a whole archive in memory.
//
// Keys are slash-separated relative paths ending in ".loupe". Listing is in
// ascending key order, which is also the sync cursor order: a key embeds the
// seal time first, so new archives sort after old ones.
type Store interface {
	// List returns up to limit entries whose key sorts strictly after the
	// cursor "after" ("" lists from the start), in ascending key order.
	// A limit <= 0 means no limit.
	List(ctx context.Context, after string, limit int) ([]Entry, error)
	// Open streams one archive. A missing key gives an error matching
	// fs.ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Put stores r under key atomically: readers see the whole archive or
	// nothing. sha256 is the hex digest of the bytes, kept by the backend as
	// the content hash (S3 multipart ETags are not one); size is its length,
	// or -1 when unknown. Bytes that do not match give ErrDigestMismatch and
	// store nothing; a key failing ValidateKey gives ErrInvalidKey; putting
	// the same bytes again succeeds and different bytes give ErrConflict.
	Put(ctx context.Context, key string, r io.Reader, size int64, sha256 string) error
}

// Entry describes one stored archive.
type Entry struct {
	Key      string    `json:"key"`
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256"`
	Modified time.Time `json:"modified"`
}

// Deleter is a Store that can delete archives, for erasure requests (a
// person's sessions removed from the store as well as the workspace). A
// separate interface so stores that never delete (a read-only folder, a
// test double) need not pretend to.
type Deleter interface {
	// Delete removes the archive at key and its digest. Deleting a key
	// that is not there succeeds, so a retried erasure finishes; a key
	// failing ValidateKey gives ErrInvalidKey.
	Delete(ctx context.Context, key string) error
}
