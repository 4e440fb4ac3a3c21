// Package s3 is the archive store in an S3-compatible bucket (AWS S3,
// MinIO, any compatible service) through minio-go. Collectors write to it,
// and it is also the sync source analysts read with read-only keys.
//
// Each archive is one object, PREFIX + key, written with a single
// conditional PUT (If-None-Match: *). S3 makes an object visible only once
// its PUT completes, so readers never see half an archive, and a collector
// needs no read or delete permission to write: uploading to a temporary
// key and copying would need both, double the traffic, and leave debris
// after a crash, for no extra guarantee. The bytes are spooled and checked
// against their SHA-256 before upload, which also makes every attempt
// replayable for retries. The SHA-256 travels as user metadata
// (x-amz-meta-loupe-sha256): ETags of multipart uploads are not content
// hashes.
package s3

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/loupe-dev/loupe/core/archive"
)

// Store is an archive store in a bucket. It is safe for concurrent use.
type Store struct {
	client *minio.Client
	loc    Location
	retry  Retry
}

var _ archive.Store = (*Store)(nil)

// Config carries what an address does not: credentials and retry policy.
type Config struct {
	AccessKey    string
	SecretKey    string
	SessionToken string
	// Retry is DefaultRetry when zero.
	Retry Retry
	// Transport overrides the HTTP transport (custom CAs, proxies).
	Transport http.RoundTripper
	// Unchecked skips the request OpenWith makes to check the address
	// and credentials: a collector starts with it when the store is down,
	// since uploads can wait but ingest cannot.
	Unchecked bool
}

// Open connects to the store at rawURL (s3://BUCKET/PREFIX?endpoint=...&region=...)
// with credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for
// temporary credentials, AWS_SESSION_TOKEN.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	return OpenWith(ctx, rawURL, Config{
		AccessKey:    os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretKey:    os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
	})
}

// OpenUnchecked is Open without the check request (Config.Unchecked).
func OpenUnchecked(ctx context.Context, rawURL string) (*Store, error) {
	return OpenWith(ctx, rawURL, Config{
		AccessKey:    os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretKey:    os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
		Unchecked:    true,
	})
}

// OpenWith connects with explicit credentials. It makes one request to
// check the address and the credentials, so a typo fails here with
// ErrNoSuchBucket, ErrBadCredentials or ErrUnreachable rather than at the
// first upload. Credentials that may not list (a collector's write-only
// key) pass this check.
func OpenWith(ctx context.Context, rawURL string, cfg Config) (*Store, error) {
	loc, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, fmt.Errorf("%w: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", ErrNoCredentials)
	}
	if cfg.Retry.Attempts == 0 {
		cfg.Retry = DefaultRetry
	}
	client, err := minio.New(loc.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.SessionToken),
		Secure:       loc.Secure,
		Region:       loc.Region,
		BucketLookup: minio.BucketLookupAuto,
		Transport:    cfg.Transport,
		// One attempt per call: Retry decides, so its policy is the only one.
		MaxRetries: 1,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	s := &Store{client: client, loc: loc, retry: cfg.Retry}
	if cfg.Unchecked {
		return s, nil
	}
	if err := s.probe(ctx); err != nil {
		return nil, fmt.Errorf("open %s: %w", loc, err)
	}
	return s, nil
}

// Location is the store's parsed address.
func (s *Store) Location() Location { return s.loc }

// probe lists at most one key: a GET whose error body names the problem
// (a HEAD's would not).
func (s *Store) probe(ctx context.Context) error {
	err := s.retry.do(ctx, func() (error, bool) {
		for obj := range s.client.ListObjectsIter(ctx, s.loc.Bucket, minio.ListObjectsOptions{Prefix: s.loc.Prefix, Recursive: true, MaxKeys: 1}) {
			if obj.Err != nil {
				return classify(obj.Err)
			}
			break
		}
		return nil, false
	})
	if errorsIsAccessDenied(err) {
		return nil
	}
	return err
}
