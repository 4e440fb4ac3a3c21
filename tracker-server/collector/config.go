package collector

import (
	"errors"
	"fmt"
	"log/slog"
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
	// RetryMin and RetryMax bound the backoff between upload attempts of a
	// sealed archive the store refused (defaults 1 s and 5 min).
	RetryMin, RetryMax time.Duration
	// UploadTimeout bounds one upload attempt, the store's own retries
	// included (default 2 min), so that a store which hangs cannot stall
	// the upload queue; the attempt is retried with the backoff above.
	UploadTimeout time.Duration
	// Logger receives operational logs (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
}

// Defaults for Config fields left zero.
const (
	DefaultSealAfter     = 30 * time.Minute
	DefaultMaxSessionAge = 24 * time.Hour
	DefaultMaxBody       = 1 << 20
	DefaultMaxDecoded    = 8 << 20
	DefaultMaxEvents     = 50_000
	DefaultUploadTimeout = 2 * time.Minute
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
		c.RetryMax = 5 * time.Minute
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
