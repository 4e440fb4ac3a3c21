package collector

import (
	"fmt"
	"io"
)

// writeQuotaMetrics writes each site's quota state as labelled series.
func writeQuotaMetrics(w io.Writer, s Status) error {
	type series struct {
		name, kind, help string
		value            func(SiteUsage) float64
	}
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	all := []series{
		{"loupe_site_sessions_month", "gauge", "New sessions recorded for the site this UTC month.", func(u SiteUsage) float64 { return float64(u.Sessions) }},
		{"loupe_site_session_limit", "gauge", "The site's monthly session limit (0: none).", func(u SiteUsage) float64 { return float64(u.Limit) }},
		{"loupe_site_quota_warned", "gauge", "1 once the site passed its warning threshold this month.", func(u SiteUsage) float64 { return b2f(u.Warned) }},
		{"loupe_site_quota_limited", "gauge", "1 while the site's new sessions are refused at its limit.", func(u SiteUsage) float64 { return b2f(u.Limited) }},
		{"loupe_site_sample_rate", "gauge", "Share of the site's visitors recorded.", func(u SiteUsage) float64 { return u.SampleRate }},
		{"loupe_site_refused_batches_total", "counter", "Batches of new sessions refused at the limit since start.", func(u SiteUsage) float64 { return float64(u.Refused) }},
		{"loupe_site_sampled_out_batches_total", "counter", "Batches of visitors outside the sample since start.", func(u SiteUsage) float64 { return float64(u.SampledOut) }},
	}
	for _, m := range all {
		if _, err := fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", m.name, m.help, m.name, m.kind); err != nil {
			return err
		}
		for _, u := range s.Sites {
			if _, err := fmt.Fprintf(w, "%s{collector=%q,site=%q} %g\n", m.name, s.Collector, u.Site, m.value(u)); err != nil {
				return err
			}
		}
	}
	return nil
}
