package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/minio/minio-go/v7"
)

// Errors an S3 store returns, matched with errors.Is, so the collector and
// sync can tell "fix your setup" from "try again later".
var (
	// ErrBadURL: the store address is not s3://BUCKET/PREFIX?endpoint=....
	ErrBadURL = errors.New("bad s3 store address")
	// ErrNoCredentials: AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is unset.
	ErrNoCredentials = errors.New("no s3 credentials")
	// ErrBadCredentials: the server does not know the key or the secret is
	// wrong or the session token has expired.
	ErrBadCredentials = errors.New("s3 credentials rejected")
	// ErrAccessDenied: the credentials are valid but their policy does not
	// allow the operation (a read-only key putting, a write-only key listing).
	ErrAccessDenied = errors.New("s3 access denied")
	// ErrNoSuchBucket: the bucket does not exist.
	ErrNoSuchBucket = errors.New("s3 bucket does not exist")
	// ErrUnreachable: the endpoint cannot be reached or keeps failing
	// (network errors, 5xx, throttling) after every retry.
	ErrUnreachable = errors.New("s3 endpoint unreachable")
)

// classify maps a minio-go error to the package's errors, keeping the
// original text. transient reports whether retrying may help.
func classify(err error) (out error, transient bool) {
	if err == nil {
		return nil, false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err, false
	}
	resp := minio.ToErrorResponse(err)
	switch resp.Code {
	case "":
		// Not an S3 error response: a network failure.
	case "NoSuchKey":
		return fmt.Errorf("%w (%v)", fs.ErrNotExist, err), false
	case "NoSuchBucket":
		return fmt.Errorf("%w: %v", ErrNoSuchBucket, err), false
	case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
		"InvalidClientTokenId", "AuthorizationHeaderMalformed", "AccessKeyDisabled":
		return fmt.Errorf("%w: %v", ErrBadCredentials, err), false
	case "AccessDenied", "AllAccessDisabled":
		return fmt.Errorf("%w: %v", ErrAccessDenied, err), false
	case "SlowDown", "SlowDownRead", "SlowDownWrite", "InternalError", "ServiceUnavailable",
		"RequestTimeout", "Throttling", "RequestLimitExceeded", "XMinioServerNotInitialized",
		"XMinioStorageFull":
		return fmt.Errorf("%w: %v", ErrUnreachable, err), true
	default:
		if resp.StatusCode >= 500 || resp.StatusCode == 429 {
			return fmt.Errorf("%w: %v", ErrUnreachable, err), true
		}
		return err, false
	}
	if isNetwork(err) {
		return fmt.Errorf("%w: %v", ErrUnreachable, err), true
	}
	return err, false
}

// isNetwork recognises failures to talk to the server at all.
func isNetwork(err error) bool {
	var ue *url.Error
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &oe), errors.As(err, &ne):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	case errors.As(err, &ue):
		return true
	}
	return strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "connection reset")
}
