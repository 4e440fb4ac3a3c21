package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// siteFile is one site's entry in the sites file.
type siteFile struct {
	// Origins may post batches for the site.
	Origins []string `json:"origins"`
	// AssetOrigins, when present, are the only origins (besides Origins)
	// the collector fetches the site's page assets from; "*" allows any.
	// Absent, any origin the pages used is fetched, public addresses only.
	AssetOrigins []string `json:"asset_origins"`
}

// siteConfig is a parsed sites file.
type siteConfig struct {
	Sites        map[string][]string
	AssetOrigins map[string][]string
}

// loadSites reads a sites file: a JSON object with one entry per site key,
// either an object
//
//	{"shop": {"origins": ["https://shop.example.com"],
//	          "asset_origins": ["https://cdn.example.com"]}}
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
		if site.AssetOrigins != nil {
			if cfg.AssetOrigins == nil {
				cfg.AssetOrigins = map[string][]string{}
			}
			cfg.AssetOrigins[key] = site.AssetOrigins
		}
	}
	return cfg, nil
}
