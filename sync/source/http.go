package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// collector reads a collector's archive API (docs/collector-api.md):
// GET /v1/archives?after=C&limit=N and GET /v1/archives/{key}, both with
// the analyst token as a Bearer token.
type collector struct {
	base   *url.URL
	token  string
	client *http.Client
}

// listBody is the JSON of GET /v1/archives.
type listBody struct {
	Archives []archive.Entry `json:"archives"`
	Next     string          `json:"next"`
}

// errorBody is the JSON error every collector endpoint returns.
type errorBody struct {
	Error string `json:"error"`
}

// maxListBody bounds a listing response; 1000 entries fit in far less.
const maxListBody = 8 << 20

func openHTTP(ctx context.Context, addr, token string) (Source, error) {
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("open source %s: not a collector address", Name(addr))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	if token != "" && u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		fmt.Fprintf(InsecureWarnings, "warning: sending the analyst token over plain HTTP to %s: anyone on the path can read it; use https:// (a TLS proxy in front of the collector)\n", u.Host)
	}
	return &collector{base: u, token: token, client: &http.Client{
		// No overall timeout: a large archive may take long. Dial and
		// header timeouts catch a dead collector.
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       60 * time.Second,
			MaxIdleConnsPerHost:   8,
		},
	}}, nil
}

// InsecureWarnings receives the warning printed when a token is about to
// travel in clear text to a host other than this machine.
var InsecureWarnings io.Writer = os.Stderr

// loopbackHost reports whether host names this machine: "localhost" or a
// loopback address. Any other name may resolve anywhere.
func loopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *collector) endpoint(path string, q url.Values) string {
	u := *c.base
	u.Path += path
	u.RawPath = ""
	if q != nil {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func (c *collector) get(ctx context.Context, target string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return c.client.Do(req)
}

// List implements Source, retrying transient failures a few times.
func (c *collector) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	q := url.Values{}
	q.Set("after", after)
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var body listBody
	err := retry(ctx, func() error {
		resp, err := c.get(ctx, c.endpoint("/v1/archives", q))
		if err != nil {
			return transient(fmt.Errorf("list archives: %w", unreachable(c.base.Host, err)))
		}
		defer resp.Body.Close()
		if err := statusError(resp, "list archives"); err != nil {
			return err
		}
		body = listBody{}
		if err := json.NewDecoder(io.LimitReader(resp.Body, maxListBody)).Decode(&body); err != nil {
			return transient(fmt.Errorf("list archives: unreadable answer from the collector: %w", err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, e := range body.Archives {
		if err := archive.ValidateKey(e.Key); err != nil {
			return nil, fmt.Errorf("list archives: the collector sent %w", err)
		}
		if e.Key <= after {
			return nil, fmt.Errorf("list archives: the collector sent key %q, not after cursor %q", e.Key, after)
		}
	}
	return body.Archives, nil
}

// Open implements Source.
func (c *collector) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := archive.ValidateKey(key); err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	var body io.ReadCloser
	err := retry(ctx, func() error {
		resp, err := c.get(ctx, c.endpoint("/v1/archives/"+key, nil))
		if err != nil {
			return transient(fmt.Errorf("download %s: %w", key, unreachable(c.base.Host, err)))
		}
		if err := statusError(resp, "download "+key); err != nil {
			resp.Body.Close()
			return err
		}
		body = resp.Body
		return nil
	})
	return body, err
}

// statusError turns a non-200 answer into an error, keeping the
// collector's own message.
func statusError(resp *http.Response, what string) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var eb errorBody
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&eb)
	msg := eb.Error
	if msg == "" {
		msg = resp.Status
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%s: %w (%s)", what, ErrUnauthorized, msg)
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: %s: %w", what, msg, fs.ErrNotExist)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return transient(fmt.Errorf("%s: collector answered %s", what, msg))
	}
	return fmt.Errorf("%s: collector answered %d %s", what, resp.StatusCode, msg)
}

// unreachable words a failed request as the network problem it is,
// without the request's full URL.
func unreachable(host string, err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	return fmt.Errorf("cannot reach the collector at %s: %w", host, err)
}

// transientError marks a failure worth retrying.
type transientError struct{ err error }

func (t transientError) Error() string { return t.err.Error() }
func (t transientError) Unwrap() error { return t.err }

func transient(err error) error { return transientError{err} }

// retry runs fn up to four times with exponential backoff while it fails
// with a transient error.
func retry(ctx context.Context, fn func() error) error {
	wait := 200 * time.Millisecond
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if err = fn(); err == nil {
			return nil
		}
		var t transientError
		if !errors.As(err, &t) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 3
	}
	return err
}
