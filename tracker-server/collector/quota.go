package collector

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Errors a new session can meet before it is recorded; the HTTP layer turns
// both into answers the tracker reads as "stop recording this visit".
var (
	// ErrQuotaReached means the site has opened its monthly session limit.
	ErrQuotaReached = errors.New("site reached its monthly session limit")
	// ErrSampledOut means the visitor falls outside the site's sample rate.
	ErrSampledOut = errors.New("visitor not in the site's sample")
)

// DefaultWarnAt is the share of a monthly limit at which the collector
// warns, when a site sets a limit but no threshold.
const DefaultWarnAt = 0.8

// SiteQuota limits how many sessions one site records.
type SiteQuota struct {
	// MonthlySessions caps the new sessions per UTC calendar month;
	// 0 means no limit. Sessions already open are always completed.
	MonthlySessions int64
	// WarnAt is the share of MonthlySessions (0..1] at which the
	// collector logs a warning once per month (default DefaultWarnAt).
	WarnAt float64
	// SampleRate is the share of visitors recorded, 0..1 (default 1, and
	// a zero value means 1 as well; use a tiny positive rate to record
	// almost nothing). A visitor is in or out for all their sessions.
	SampleRate float64
}

func (q SiteQuota) withDefaults() SiteQuota {
	if q.WarnAt == 0 {
		q.WarnAt = DefaultWarnAt
	}
	if q.SampleRate == 0 {
		q.SampleRate = 1
	}
	return q
}

func (q SiteQuota) check() error {
	switch {
	case q.MonthlySessions < 0:
		return fmt.Errorf("monthly_sessions %d is negative", q.MonthlySessions)
	case math.IsNaN(q.WarnAt) || q.WarnAt < 0 || q.WarnAt > 1:
		return fmt.Errorf("warn_at %v is outside 0..1", q.WarnAt)
	case math.IsNaN(q.SampleRate) || q.SampleRate < 0 || q.SampleRate > 1:
		return fmt.Errorf("sample_rate %v is outside 0..1", q.SampleRate)
	}
	return nil
}

// warnCount is the session count at which the site is warned.
func (q SiteQuota) warnCount() int64 {
	return int64(math.Ceil(q.WarnAt * float64(q.MonthlySessions)))
}

// SiteUsage is one site's quota state this month, as served in /v1/status.
type SiteUsage struct {
	Site       string  `json:"site"`
	Month      string  `json:"month"` // UTC, "2006-01"
	Sessions   int64   `json:"sessions"`
	Limit      int64   `json:"limit"` // 0: no limit
	WarnAt     float64 `json:"warn_at"`
	SampleRate float64 `json:"sample_rate"`
	Warned     bool    `json:"warned"`
	Limited    bool    `json:"limited"`
	// Refused counts batches of new sessions refused at the limit, and
	// SampledOut those of visitors outside the sample, since start.
	Refused    int64 `json:"refused"`
	SampledOut int64 `json:"sampled_out"`
}

// quotaFile is the durable form of the month's counters.
type quotaFile struct {
	Month string                `json:"month"`
	Sites map[string]*siteCount `json:"sites"`
}

type siteCount struct {
	Sessions int64 `json:"sessions"`
	Warned   bool  `json:"warned"`
}

// quotaBook counts new sessions per site and UTC month and decides whether
// a new session is recorded. Counters are saved in DataDir/quota.json
// before the session's first batch is acknowledged, so a restart neither
// forgets sessions nor warns twice.
type quotaBook struct {
	path   string
	limits map[string]SiteQuota
	logger *slog.Logger

	mu      sync.Mutex
	state   quotaFile
	version uint64 // bumped on every change of state
	refused map[string]*[2]int64

	saveMu sync.Mutex // one writer of the file at a time
	saved  uint64     // the version last written
}

func monthOf(t time.Time) string { return t.UTC().Format("2006-01") }

// loadQuotaBook reads the saved counters; a missing file is an empty month.
func loadQuotaBook(dataDir string, limits map[string]SiteQuota, logger *slog.Logger) (*quotaBook, error) {
	q := &quotaBook{path: filepath.Join(dataDir, "quota.json"), limits: limits, logger: logger,
		refused: map[string]*[2]int64{}}
	b, err := os.ReadFile(q.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read quota counters: %w", err)
	default:
		if err := json.Unmarshal(b, &q.state); err != nil {
			return nil, fmt.Errorf("quota counters %s are damaged (remove the file to start the month at zero): %w", q.path, err)
		}
	}
	if q.state.Sites == nil {
		q.state.Sites = map[string]*siteCount{}
	}
	return q, nil
}

// rollover starts a new month's counters when now is past the saved month.
// Callers hold q.mu.
func (q *quotaBook) rollover(now time.Time) {
	if m := monthOf(now); q.state.Month != m {
		q.state = quotaFile{Month: m, Sites: map[string]*siteCount{}}
		q.version++
	}
}

// admit decides whether a new session of site by visitor is recorded and,
// if so, counts it and returns the state version that includes it. It only
// changes memory; the caller saves with persist(version) before
// acknowledging. Left out, the error is ErrSampledOut or ErrQuotaReached.
func (q *quotaBook) admit(site, visitor string, now time.Time) (uint64, error) {
	lim := q.limits[site].withDefaults()
	if lim.SampleRate < 1 && !sampled(site, visitor, lim.SampleRate) {
		q.mu.Lock()
		q.refusedFor(site)[1]++
		q.mu.Unlock()
		return 0, ErrSampledOut
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rollover(now)
	sc := q.state.Sites[site]
	if sc == nil {
		sc = &siteCount{}
		q.state.Sites[site] = sc
	}
	if lim.MonthlySessions > 0 && sc.Sessions >= lim.MonthlySessions {
		q.refusedFor(site)[0]++
		return 0, ErrQuotaReached
	}
	sc.Sessions++
	q.version++
	if lim.MonthlySessions > 0 && !sc.Warned && sc.Sessions >= lim.warnCount() {
		sc.Warned = true
		q.logger.Warn("site nears its monthly session limit", "site", site, "month", q.state.Month,
			"sessions", sc.Sessions, "limit", lim.MonthlySessions, "warn_at", lim.WarnAt)
	}
	return q.version, nil
}

func (q *quotaBook) refusedFor(site string) *[2]int64 {
	r := q.refused[site]
	if r == nil {
		r = &[2]int64{}
		q.refused[site] = r
	}
	return r
}

// persist writes the counters if version v is not yet on disk. Concurrent
// callers share one write: whoever holds saveMu writes the newest state,
// which covers every version counted before it.
func (q *quotaBook) persist(v uint64) error {
	q.saveMu.Lock()
	defer q.saveMu.Unlock()
	if q.saved >= v {
		return nil
	}
	q.mu.Lock()
	data, err := json.Marshal(q.state)
	current := q.version
	q.mu.Unlock()
	if err != nil {
		return fmt.Errorf("encode quota counters: %w", err)
	}
	if err := writeFileDurable(q.path, data, 0o600); err != nil {
		return fmt.Errorf("save quota counters: %w", err)
	}
	q.saved = current
	return nil
}

// usage reports every configured site's state in the month of now, sorted
// by site key.
func (q *quotaBook) usage(sites map[string][]string, now time.Time) []SiteUsage {
	q.mu.Lock()
	defer q.mu.Unlock()
	month := monthOf(now)
	out := make([]SiteUsage, 0, len(sites))
	for site := range sites {
		lim := q.limits[site].withDefaults()
		u := SiteUsage{Site: site, Month: month, Limit: lim.MonthlySessions, WarnAt: lim.WarnAt, SampleRate: lim.SampleRate}
		if sc := q.state.Sites[site]; sc != nil && q.state.Month == month {
			u.Sessions, u.Warned = sc.Sessions, sc.Warned
		}
		u.Limited = u.Limit > 0 && u.Sessions >= u.Limit
		if r := q.refused[site]; r != nil {
			u.Refused, u.SampledOut = r[0], r[1]
		}
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Site < out[j].Site })
	return out
}

// sampled reports whether visitor is in site's sample: the first 8 bytes of
// SHA-256(site, visitor) as a fraction of 2^64 fall below rate. Hashing the
// site too keeps one visitor's fate independent across sites.
func sampled(site, visitor string, rate float64) bool {
	h := sha256.New()
	h.Write([]byte(site))
	h.Write([]byte{0})
	h.Write([]byte(visitor))
	var sum [sha256.Size]byte
	x := binary.BigEndian.Uint64(h.Sum(sum[:0]))
	return float64(x) < rate*math.Exp2(64)
}

// checkQuotas validates Config.Quotas against the configured sites.
func checkQuotas(quotas map[string]SiteQuota, sites map[string][]string) error {
	for key, q := range quotas {
		if _, ok := sites[key]; !ok {
			return fmt.Errorf("collector config: quota for unknown site %q", key)
		}
		if err := q.check(); err != nil {
			return fmt.Errorf("collector config: site %q: %w", key, err)
		}
	}
	return nil
}
