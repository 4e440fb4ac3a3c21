package workspace

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// siteQuotasKey is the settings key of the collectors' quota states.
const siteQuotasKey = "sync.site_quotas"

// SiteQuota is one site's monthly session quota as a collector reported it
// at the latest sync from that collector.
type SiteQuota struct {
	Source     string    `json:"source"`
	Site       string    `json:"site"`
	Month      string    `json:"month"` // UTC, "2006-01"
	Sessions   int64     `json:"sessions"`
	Limit      int64     `json:"limit"` // 0: no limit
	WarnAt     float64   `json:"warn_at"`
	SampleRate float64   `json:"sample_rate"`
	Warned     bool      `json:"warned"`
	Limited    bool      `json:"limited"`
	CheckedAt  time.Time `json:"checked_at"`
}

// SetSiteQuotas replaces the quota states recorded for one source.
func (db *DB) SetSiteQuotas(ctx context.Context, source string, sites []SiteQuota) error {
	all := map[string][]SiteQuota{}
	if _, err := db.Setting(ctx, siteQuotasKey, &all); err != nil {
		return err
	}
	for i := range sites {
		sites[i].Source = source
	}
	all[source] = sites
	return db.SetSetting(ctx, siteQuotasKey, all)
}

// SiteQuotas lists every recorded quota state, by source and site.
func (db *DB) SiteQuotas(ctx context.Context) ([]SiteQuota, error) {
	all := map[string][]SiteQuota{}
	if _, err := db.Setting(ctx, siteQuotasKey, &all); err != nil {
		return nil, err
	}
	out := []SiteQuota{}
	for _, sites := range all {
		out = append(out, sites...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].Site < out[j].Site
	})
	return out, nil
}

// Summary says in one line how far the site is, e.g. "site demo: 8120 of
// 10000 sessions in 2026-12 (warning at 80 %)".
func (q SiteQuota) Summary() string {
	if q.Limit == 0 {
		return fmt.Sprintf("site %s: %d sessions in %s (no limit)", q.Site, q.Sessions, q.Month)
	}
	s := fmt.Sprintf("site %s: %d of %d sessions in %s (warning at %.0f %%)", q.Site, q.Sessions, q.Limit, q.Month, q.WarnAt*100)
	if q.Limited {
		s += ": limit reached, new visits are not recorded"
	}
	return s
}
