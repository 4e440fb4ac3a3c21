package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/loupe-dev/loupe/tracker-server/collector"
)

// siteFile is one site's entry in the sites file.
type siteFile struct {
	// Origins may post batches for the site.
	Origins []string `json:"origins"`
	// AssetOrigins, when present, are the only origins (besides Origins)
	// the collector fetches the site's page assets from; "*" allows any.
	// Absent, any origin the pages used is fetched, public addresses only.
	AssetOrigins []string `json:"asset_origins"`
	// MonthlySessions caps the site's new sessions per UTC month (0 or
	// absent: no limit).
	MonthlySessions int64 `json:"monthly_sessions"`
	// WarnAt is the share of the limit at which the collector warns
	// (default 0.8).
	WarnAt *float64 `json:"warn_at"`
	// SampleRate is the share of visitors recorded (default 1).
	SampleRate *float64 `json:"sample_rate"`
}

// quota turns the file's quota fields into the collector's form; absent
// fields keep the collector's defaults, and an explicit zero is refused
// where the collector would read it as "default".
func (s siteFile) quota() (collector.SiteQuota, bool, error) {
	q := collector.SiteQuota{MonthlySessions: s.MonthlySessions}
	if s.WarnAt != nil {
		if *s.WarnAt <= 0 || *s.WarnAt > 1 {
			return q, false, fmt.Errorf("warn_at %v must be above 0 and at most 1", *s.WarnAt)
		}
		q.WarnAt = *s.WarnAt
	}
	if s.SampleRate != nil {
		if *s.SampleRate <= 0 || *s.SampleRate > 1 {
			return q, false, fmt.Errorf("sample_rate %v must be above 0 and at most 1 (remove the site to record nothing)", *s.SampleRate)
		}
		q.SampleRate = *s.SampleRate
	}
	if s.MonthlySessions < 0 {
		return q, false, fmt.Errorf("monthly_sessions %d is negative", s.MonthlySessions)
	}
	return q, q != collector.SiteQuota{}, nil
}

// siteConfig is a parsed sites file.
type siteConfig struct {
	Sites        map[string][]string
	AssetOrigins map[string][]string
	Quotas       map[string]collector.SiteQuota
}

// loadSites reads a sites file: a JSON object with one entry per site key,
// either an object
//
//	{"shop": {"origins": ["https://shop.example.com"],
//	          "asset_origins": ["https://cdn.example.com"],
//	          "monthly_sessions": 10000, "warn_at": 0.8, "sample_rate": 0.5}}
//
// or, as in earlier versions, just the list of origins:
//
//	{"shop": ["https://shop.example.com", "https://*.example.com"]}
//
// An empty path gives a zero siteConfig, which the collector reads as its
// default.
func loadSites(path string) (siteConfig, error) {
	var cfg siteConfig
	if path == "" {
		return cfg, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("read sites file: %w", err)
	}
	const want = `want {"KEY": {"origins": ["https://origin", ...], "asset_origins": [...]}} or {"KEY": ["https://origin", ...]}`
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return cfg, fmt.Errorf("sites file %s: %s: %w", path, want, err)
	}
	if len(raw) == 0 {
		return cfg, fmt.Errorf("sites file %s lists no site", path)
	}
	cfg.Sites = map[string][]string{}
	for key, v := range raw {
		v = bytes.TrimSpace(v)
		var site siteFile
		switch {
		case len(v) > 0 && v[0] == '[':
			err = json.Unmarshal(v, &site.Origins)
		case len(v) > 0 && v[0] == '{':
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.DisallowUnknownFields()
			err = dec.Decode(&site)
		default:
			err = fmt.Errorf("not an object or a list")
		}
		if err != nil {
			return cfg, fmt.Errorf("sites file %s: site %q: %s: %w", path, key, want, err)
		}
		if len(site.Origins) == 0 {
			return cfg, fmt.Errorf("sites file %s: site %q lists no origin", path, key)
		}
		cfg.Sites[key] = site.Origins
		q, set, err := site.quota()
		if err != nil {
			return cfg, fmt.Errorf("sites file %s: site %q: %w", path, key, err)
		}
		if set {
			if cfg.Quotas == nil {
				cfg.Quotas = map[string]collector.SiteQuota{}
			}
			cfg.Quotas[key] = q
		}
		if site.AssetOrigins != nil {
			if cfg.AssetOrigins == nil {
				cfg.AssetOrigins = map[string][]string{}
			}
			cfg.AssetOrigins[key] = site.AssetOrigins
		}
	}
	return cfg, nil
}
