package s3

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// awsEndpoint is used when an address names no endpoint.
const awsEndpoint = "s3.amazonaws.com"

// Location is a parsed store address (docs/design.md):
//
//	s3://BUCKET/PREFIX?endpoint=http://host:port&region=REGION
//
// The endpoint's scheme decides transport security: plain HTTP only when it
// says http://, TLS for https:// or no scheme, and AWS when there is no
// endpoint at all.
type Location struct {
	Bucket string
	// Prefix is "" or ends in "/"; archive keys are appended to it.
	Prefix string
	// Endpoint is host[:port].
	Endpoint string
	Secure   bool
	Region   string
	// AWS is true when no endpoint was given.
	AWS bool
}

// ParseURL reads a store address. Errors match ErrBadURL.
func ParseURL(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if u.Scheme != "s3" {
		return Location{}, fmt.Errorf("%w: %q does not start with s3://", ErrBadURL, redact(raw))
	}
	if u.User != nil {
		return Location{}, fmt.Errorf("%w: credentials do not belong in the address; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", ErrBadURL)
	}
	if u.Fragment != "" || u.Opaque != "" {
		return Location{}, fmt.Errorf("%w: %q is not s3://BUCKET/PREFIX", ErrBadURL, raw)
	}
	loc := Location{Bucket: u.Host}
	if err := s3utils.CheckValidBucketNameStrict(loc.Bucket); err != nil {
		return Location{}, fmt.Errorf("%w: bucket %q: %v", ErrBadURL, loc.Bucket, err)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		for _, seg := range strings.Split(prefix, "/") {
			if seg == "" || seg == "." || seg == ".." {
				return Location{}, fmt.Errorf("%w: prefix %q has an empty, . or .. segment", ErrBadURL, u.Path)
			}
		}
		loc.Prefix = prefix + "/"
	}
	q := u.Query()
	for k := range q {
		if k != "endpoint" && k != "region" {
			return Location{}, fmt.Errorf("%w: unknown parameter %q (known: endpoint, region)", ErrBadURL, k)
		}
	}
	loc.Region = q.Get("region")
	endpoint := q.Get("endpoint")
	if endpoint == "" {
		loc.Endpoint, loc.Secure, loc.AWS = awsEndpoint, true, true
		return loc, nil
	}
	if scheme, rest, ok := strings.Cut(endpoint, "://"); ok {
		switch strings.ToLower(scheme) {
		case "http":
			loc.Secure = false
		case "https":
			loc.Secure = true
		default:
			return Location{}, fmt.Errorf("%w: endpoint scheme %q, want http or https", ErrBadURL, scheme)
		}
		endpoint = rest
	} else {
		loc.Secure = true
	}
	endpoint = strings.TrimSuffix(endpoint, "/")
	if endpoint == "" || strings.ContainsAny(endpoint, "/?#@ ") {
		return Location{}, fmt.Errorf("%w: endpoint %q is not host[:port]", ErrBadURL, q.Get("endpoint"))
	}
	loc.Endpoint = endpoint
	return loc, nil
}

// String gives the address back in its canonical form.
func (l Location) String() string {
	s := "s3://" + l.Bucket + "/" + l.Prefix
	q := url.Values{}
	if !l.AWS {
		scheme := "https://"
		if !l.Secure {
			scheme = "http://"
		}
		q.Set("endpoint", scheme+l.Endpoint)
	}
	if l.Region != "" {
		q.Set("region", l.Region)
	}
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// redact drops anything that might be a secret from an address in errors.
func redact(raw string) string {
	if i := strings.IndexAny(raw, "?@"); i >= 0 {
		return raw[:i] + "…"
	}
	return raw
}
