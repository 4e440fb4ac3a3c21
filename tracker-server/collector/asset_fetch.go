package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

// fetched is the outcome of fetching one asset URL: bytes and their type,
// or the reason there are none.
type fetched struct {
	body    []byte
	typ     string
	missing string
}

// errTooManyRedirects and errOriginRefused end a redirect chain; their
// text is the missing reason.
var (
	errTooManyRedirects = errors.New("too many redirects")
	errOriginRefused    = errors.New("origin not allowed")
	errSchemeRefused    = errors.New("refused: not http or https")
)

// assetClient fetches page assets the way an anonymous visitor would and
// no further: GET only, no cookies, no credentials, no Referer, no proxy
// (a proxy would resolve names out of the guard's sight), every hop dialed
// through a guardedDialer, a few redirects each checked like the first URL,
// a time limit per asset and a size cap.
type assetClient struct {
	client  *http.Client
	maxSize int64
	timeout time.Duration
}

func newAssetClient(d *guardedDialer, cfg AssetConfig, allowed func(*url.URL) bool) *assetClient {
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.FetchTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           32,
		IdleConnTimeout:        30 * time.Second,
		ForceAttemptHTTP2:      true,
	}
	c := &http.Client{
		Transport: tr,
		Jar:       nil,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return errTooManyRedirects
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return errSchemeRefused
			}
			if req.URL.User != nil || !allowed(req.URL) {
				return errOriginRefused
			}
			// net/http adds the previous URL as Referer on a redirect; a
			// page's address is not the CDN's business.
			req.Header.Del("Referer")
			req.Header.Del("Authorization")
			req.Header.Del("Cookie")
			return nil
		},
	}
	return &assetClient{client: c, maxSize: cfg.MaxAssetBytes, timeout: cfg.FetchTimeout}
}

// fetch GETs rawURL within the client's limits. It never returns bytes it
// did not check with assetType.
func (a *assetClient) fetch(ctx context.Context, rawURL string) fetched {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fetched{missing: "bad url"}
	}
	req.Header.Set("User-Agent", "Loupe-collector (page assets for session replay)")
	req.Header.Set("Accept", "image/*,font/*,text/css,*/*;q=0.1")
	resp, err := a.client.Do(req)
	if err != nil {
		return fetched{missing: fetchErrorReason(ctx, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fetched{missing: fmt.Sprintf("http %d", resp.StatusCode)}
	}
	if resp.ContentLength > a.maxSize {
		return fetched{missing: fmt.Sprintf("too large: %s over %s", mib(resp.ContentLength), mib(a.maxSize))}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, a.maxSize+1))
	if err != nil {
		return fetched{missing: fetchErrorReason(ctx, err)}
	}
	if int64(len(body)) > a.maxSize {
		return fetched{missing: "too large: over " + mib(a.maxSize)}
	}
	typ, reason := assetType(resp.Header.Get("Content-Type"), body[:min(len(body), 512)])
	if reason != "" {
		return fetched{missing: reason}
	}
	return fetched{body: body, typ: typ}
}

// fetchErrorReason turns a client error into a short manifest reason.
func fetchErrorReason(ctx context.Context, err error) string {
	var refused *refusedError
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &refused):
		return refused.reason
	case errors.Is(err, errTooManyRedirects):
		return "too many redirects"
	case errors.Is(err, errOriginRefused):
		return "origin not allowed"
	case errors.Is(err, errSchemeRefused):
		return errSchemeRefused.Error()
	case errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil, errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.As(err, &dnsErr):
		return "dns: " + dnsErr.Err
	case errors.Is(err, net.ErrClosed), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return "connection failed: " + opErr.Op
	}
	return "fetch failed"
}

// mib formats a byte count for a missing reason: in MiB, or in bytes
// below one MiB.
func mib(n int64) string {
	switch {
	case n < 1<<20:
		return fmt.Sprintf("%d B", n)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
