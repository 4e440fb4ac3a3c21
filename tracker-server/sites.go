package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// loadSites reads a sites file: a JSON object mapping each site key to the
// origins allowed to post for it, e.g.
//
//	{"shop": ["https://shop.example.com", "https://*.example.com"],
//	 "demo": ["http://localhost:*"]}
//
// An empty path gives nil, which the collector reads as its default.
func loadSites(path string) (map[string][]string, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sites file: %w", err)
	}
	var sites map[string][]string
	if err := json.Unmarshal(b, &sites); err != nil {
		return nil, fmt.Errorf("sites file %s: want {\"KEY\": [\"https://origin\", ...]}: %w", path, err)
	}
	if len(sites) == 0 {
		return nil, fmt.Errorf("sites file %s lists no site", path)
	}
	return sites, nil
}
