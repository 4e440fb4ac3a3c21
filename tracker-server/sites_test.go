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
