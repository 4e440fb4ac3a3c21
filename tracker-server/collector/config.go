package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// Config configures a Collector. Zero fields take the defaults below.
type Config struct {
	// DataDir holds the durable logs, the collector id and the analyst
	// token. Required.
	DataDir string
	// Store receives sealed archives. Required.
	Store archive.Store
	// Sites maps each site key to the origins allowed to post for it
	// (patterns as in MatchOrigin). A nil map means DefaultSites.
	Sites map[string][]string
	// AssetOrigins maps a site key to the origins its page assets may be
	// fetched from, besides its own (patterns as in MatchOrigin, "*" for
	// any). A site without an entry gets the default policy: any origin
	// its pages used, with addresses checked after DNS (see AssetConfig).
	AssetOrigins map[string][]string
	// Quotas limits, per site key, the sessions recorded each month and
	// the share of visitors sampled. A site without an entry records
	// every visitor without limit.
	Quotas map[string]SiteQuota
	// Assets configures fetching of page assets.
	Assets AssetConfig
	// SealAfter is the inactivity after which a session is sealed
	// (default 30 min).
	SealAfter time.Duration
	// MaxSessionAge seals a session this long after it opened even if it
	// is still active (default 24 h).
	MaxSessionAge time.Duration
	// MaxBody caps an ingest body as received (default 1 MiB).
	MaxBody int64
	// MaxDecoded caps an ingest body after decompression (default 8 MiB).
	MaxDecoded int64
	// MaxEvents caps the events of one batch (default 50,000).
	MaxEvents int
	// CollectorID names this collector in archive keys and headers so that
	// collectors sharing a bucket never collide. Empty means the id stored
	// in DataDir, created on first start.
	CollectorID string
	// Token is the analyst token for the archive API. Empty means the token
	// stored in DataDir, created on first start.
	Token string
	// MaxSessionBytes caps what one session id keeps across its parts
	// (default 64 MiB); later batches get 413 and the archive header says
	// truncated.
	MaxSessionBytes int64
	// MaxOpenSessionsPerSite caps the open session parts of one site key
	// (default 100,000) and MaxOpenSessionsPerAddr those opened from one
	// client address (default 1,000; negative for no cap, as behind a
	// proxy that hides visitors' addresses); past either a new session
	// gets 429 with Retry-After.
	MaxOpenSessionsPerSite, MaxOpenSessionsPerAddr int
	// MaxRememberedSessions bounds the session ids whose seqs are kept
	// for deduplication (default 1,000,000, about 300 MB at worst).
	MaxRememberedSessions int
	// MaxOpenLogs bounds the session log files held open at once
	// (default 512); idle logs are closed and reopen on demand.
	MaxOpenLogs int
	// MetricsToken, when set, also opens GET /v1/status and /metrics (and
	// nothing else), so a monitoring system need not hold the analyst
	// token. Both endpoints always accept the analyst token.
	MetricsToken string
	// RetryMin and RetryMax bound the backoff between upload attempts of a
	// sealed archive the store refused (defaults 1 s and 10 s). The cap is
	// short because each retry doubles as the probe that notices the store
	// is back; one success resets every backoff.
	RetryMin, RetryMax time.Duration
	// FlushEachLog makes every session log flush its own appends
	// (fdatasync) instead of sharing rounds that flush the data folder's
	// whole file system once (syncfs, Linux; see logFlusher). Set it when
	// that file system also takes heavy writes from other programs, which
	// a shared round would flush too and make acknowledgements wait for.
	FlushEachLog bool
	// UploadWorkers is how many archives upload at once (default 4).
	UploadWorkers int
	// UploadTimeout bounds one upload attempt, the store's own retries
	// included (default 2 min), so that a store which hangs cannot stall
	// the upload queue; the attempt is retried with the backoff above.
	UploadTimeout time.Duration
	// Logger receives operational logs (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time

	// assetResolve and assetDial replace DNS and the socket dial of the
	// asset fetcher in tests, to make a name resolve to a chosen address
	// or a loopback server stand in for a public one.
	assetResolve func(ctx context.Context, host string) ([]netip.Addr, error)
	assetDial    func(ctx context.Context, network, addr string) (net.Conn, error)
}

// AssetConfig bounds the fetching of page assets. Zero fields take the
// defaults below.
type AssetConfig struct {
	// Disabled turns fetching off: manifests then list every URL as
	// missing ("asset fetching disabled").
	Disabled bool
	// MaxAssetBytes caps one asset (default 5 MiB).
	MaxAssetBytes int64
	// MaxSessionBytes caps the assets one session part keeps (default 50 MiB).
	MaxSessionBytes int64
	// MaxAssets caps the URLs one session part lists (default 1,000).
	MaxAssets int
	// ConnectTimeout bounds a connection and TLS handshake (default 5 s).
	ConnectTimeout time.Duration
	// FetchTimeout bounds one asset, redirects included (default 20 s).
	FetchTimeout time.Duration
	// MaxRedirects bounds a redirect chain (default 5).
	MaxRedirects int
	// MaxCSSDepth bounds stylesheets found inside stylesheets (default 3).
	MaxCSSDepth int
	// SealTimeout bounds the fetching a seal does for URLs the background
	// fetcher has not yet fetched (default 60 s); what is left is missing
	// with the reason "timeout".
	SealTimeout time.Duration
	// Workers is the number of background fetches at once (default 4).
	Workers int
	// CacheEntries bounds the in-memory URL → result cache (default 20,000).
	CacheEntries int
}

// Defaults for AssetConfig fields left zero.
const (
	DefaultMaxAssetBytes   = 5 << 20
	DefaultMaxSessionBytes = 50 << 20
	DefaultMaxAssets       = 1000
)

func (a AssetConfig) withDefaults() AssetConfig {
	if a.MaxAssetBytes <= 0 {
		a.MaxAssetBytes = DefaultMaxAssetBytes
	}
	if a.MaxSessionBytes <= 0 {
		a.MaxSessionBytes = DefaultMaxSessionBytes
	}
	if a.MaxAssets <= 0 {
		a.MaxAssets = DefaultMaxAssets
	}
	if a.ConnectTimeout <= 0 {
		a.ConnectTimeout = 5 * time.Second
	}
	if a.FetchTimeout <= 0 {
		a.FetchTimeout = 20 * time.Second
	}
	if a.MaxRedirects <= 0 {
		a.MaxRedirects = 5
	}
	if a.MaxCSSDepth <= 0 {
		a.MaxCSSDepth = 3
	}
	if a.SealTimeout <= 0 {
		a.SealTimeout = 60 * time.Second
	}
	if a.Workers <= 0 {
		a.Workers = 4
	}
	if a.CacheEntries <= 0 {
		a.CacheEntries = 20_000
	}
	return a
}

// Defaults for Config fields left zero.
const (
	DefaultSealAfter     = 30 * time.Minute
	DefaultMaxSessionAge = 24 * time.Hour
	DefaultMaxBody       = 1 << 20
	DefaultMaxDecoded    = 8 << 20
	DefaultMaxEvents     = 50_000
	DefaultUploadTimeout = 2 * time.Minute
	DefaultRetryMax      = 10 * time.Second
	// DefaultMaxSessionLogBytes is the default Config.MaxSessionBytes.
	DefaultMaxSessionLogBytes     = 64 << 20
	DefaultMaxOpenSessionsPerSite = 100_000
	DefaultMaxOpenSessionsPerAddr = 1000
	DefaultMaxOpenLogs            = 512
	DefaultUploadWorkers          = 4
)

// DefaultSites is the embedded default: a "demo" site key accepted from any
// port on localhost.
func DefaultSites() map[string][]string {
	return map[string][]string{"demo": {"http://localhost:*", "http://127.0.0.1:*"}}
}

func (c Config) withDefaults() (Config, error) {
	if c.DataDir == "" {
		return c, errors.New("collector config: DataDir is required")
	}
	if c.Store == nil {
		return c, errors.New("collector config: Store is required")
	}
	if c.Sites == nil {
		c.Sites = DefaultSites()
	}
	for key, origins := range c.Sites {
		if key == "" || len(key) > 64 {
			return c, fmt.Errorf("collector config: site key %q must be 1-64 characters", key)
		}
		for _, o := range origins {
			if err := checkOriginPattern(o); err != nil {
				return c, fmt.Errorf("collector config: site %q: %w", key, err)
			}
		}
	}
	for key, origins := range c.AssetOrigins {
		if _, ok := c.Sites[key]; !ok {
			return c, fmt.Errorf("collector config: asset origins for unknown site %q", key)
		}
		for _, o := range origins {
			if err := checkOriginPattern(o); err != nil {
				return c, fmt.Errorf("collector config: site %q asset origins: %w", key, err)
			}
		}
	}
	if err := checkQuotas(c.Quotas, c.Sites); err != nil {
		return c, err
	}
	c.Assets = c.Assets.withDefaults()
	if c.SealAfter <= 0 {
		c.SealAfter = DefaultSealAfter
	}
	if c.MaxSessionAge <= 0 {
		c.MaxSessionAge = DefaultMaxSessionAge
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxDecoded <= 0 {
		c.MaxDecoded = DefaultMaxDecoded
	}
	// One event becomes one archive line, which has its own cap.
	c.MaxDecoded = min(c.MaxDecoded, archive.MaxLineBytes-1)
	if c.MaxEvents <= 0 {
		c.MaxEvents = DefaultMaxEvents
	}
	if c.RetryMin <= 0 {
		c.RetryMin = time.Second
	}
	if c.RetryMax <= 0 {
		c.RetryMax = DefaultRetryMax
	}
	if c.MaxSessionBytes <= 0 {
		c.MaxSessionBytes = DefaultMaxSessionLogBytes
	}
	if c.MaxOpenSessionsPerSite <= 0 {
		c.MaxOpenSessionsPerSite = DefaultMaxOpenSessionsPerSite
	}
	if c.MaxOpenSessionsPerAddr == 0 {
		c.MaxOpenSessionsPerAddr = DefaultMaxOpenSessionsPerAddr
	}
	if c.MaxRememberedSessions <= 0 {
		c.MaxRememberedSessions = 1_000_000
	}
	if c.MaxOpenLogs <= 0 {
		c.MaxOpenLogs = DefaultMaxOpenLogs
	}
	if c.UploadWorkers <= 0 {
		c.UploadWorkers = DefaultUploadWorkers
	}
	if c.RetryMax < c.RetryMin {
		c.RetryMax = c.RetryMin
	}
	if c.UploadTimeout <= 0 {
		c.UploadTimeout = DefaultUploadTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.CollectorID != "" && !validCollectorID(c.CollectorID) {
		return c, fmt.Errorf("collector config: collector id %q must be 1-32 characters of [a-z0-9]", c.CollectorID)
	}
	return c, nil
}

func (c Config) limits() Limits {
	return Limits{MaxBody: c.MaxBody, MaxDecoded: c.MaxDecoded, MaxEvents: c.MaxEvents}
}
