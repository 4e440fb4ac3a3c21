package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadSites(t *testing.T) {
	tests := []struct {
		name, file   string
		sites, asset string // fmt.Sprint of the maps; "" for an error
	}{
		{"old list form", `{"shop": ["https://shop.example.com"]}`,
			"map[shop:[https://shop.example.com]]", "map[]"},
		{"object form", `{"shop": {"origins": ["https://shop.example.com"], "asset_origins": ["https://cdn.example.com", "*"]}}`,
			"map[shop:[https://shop.example.com]]", "map[shop:[https://cdn.example.com *]]"},
		{"mixed, default asset policy", `{"a": ["http://localhost:*"], "b": {"origins": ["https://b.example"]}}`,
			"map[a:[http://localhost:*] b:[https://b.example]]", "map[]"},
		{"quota fields", `{"shop": {"origins": ["https://shop.example.com"], "monthly_sessions": 10000, "warn_at": 0.9, "sample_rate": 0.25}}`,
			"map[shop:[https://shop.example.com]]", "map[]"},
		{"sample rate zero", `{"shop": {"origins": ["https://shop.example.com"], "sample_rate": 0}}`, "", ""},
		{"sample rate above one", `{"shop": {"origins": ["https://shop.example.com"], "sample_rate": 1.5}}`, "", ""},
		{"warn_at above one", `{"shop": {"origins": ["https://shop.example.com"], "warn_at": 2}}`, "", ""},
		{"negative limit", `{"shop": {"origins": ["https://shop.example.com"], "monthly_sessions": -5}}`, "", ""},
		{"unknown field", `{"shop": {"origin": ["https://shop.example.com"]}}`, "", ""},
		{"no origins", `{"shop": {"asset_origins": ["*"]}}`, "", ""},
		{"a string", `{"shop": "https://shop.example.com"}`, "", ""},
		{"no site", `{}`, "", ""},
		{"not json", `shop`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "sites.json")
			if err := os.WriteFile(p, []byte(tt.file), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadSites(p)
			if tt.sites == "" {
				if err == nil {
					t.Fatalf("accepted %s", tt.file)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			asset := fmt.Sprint(cfg.AssetOrigins)
			if got := fmt.Sprint(cfg.Sites); got != tt.sites || asset != tt.asset {
				t.Errorf("sites %s, asset origins %s; want %s and %s", got, asset, tt.sites, tt.asset)
			}
		})
	}
}

func TestLoadSitesQuotas(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sites.json")
	file := `{"shop": {"origins": ["https://shop.example.com"], "monthly_sessions": 10000, "sample_rate": 0.25},
		"blog": ["https://blog.example.com"]}`
	if err := os.WriteFile(p, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadSites(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprintf("%+v", cfg.Quotas), "map[shop:{MonthlySessions:10000 WarnAt:0 SampleRate:0.25}]"; got != want {
		t.Errorf("quotas %s, want %s (warn_at left to the collector's default)", got, want)
	}
}
