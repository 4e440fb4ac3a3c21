package workspace

import (
	"context"
	"fmt"
)

// Facets are the values the list's filters offer: every site, visited
// path and device class in the workspace, and the session count.
type Facets struct {
	Total   int      `json:"total"`
	Sites   []string `json:"sites"`
	Pages   []string `json:"pages"`
	Devices []string `json:"devices"`
	Tags    []string `json:"tags"`
}

// maxFacetPages bounds the page filter's choices to the most visited.
const maxFacetPages = 500

// ListFacets returns the filter choices for the sessions list.
func (db *DB) ListFacets(ctx context.Context) (Facets, error) {
	f := Facets{Sites: []string{}, Pages: []string{}, Devices: []string{}, Tags: []string{}}
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&f.Total); err != nil {
		return f, fmt.Errorf("count sessions: %w", err)
	}
	for _, q := range []struct {
		sql string
		dst *[]string
	}{
		{`SELECT name FROM sites WHERE name <> '' ORDER BY name`, &f.Sites},
		{`SELECT p.path FROM pageviews pv JOIN paths p ON p.id = pv.path_id GROUP BY pv.path_id ORDER BY count(*) DESC, p.path LIMIT ` + fmt.Sprint(maxFacetPages), &f.Pages},
		{`SELECT DISTINCT device FROM sessions WHERE device <> '' ORDER BY device`, &f.Devices},
		{`SELECT DISTINCT tag FROM tags ORDER BY tag`, &f.Tags},
	} {
		if err := db.uiStrings(ctx, q.sql, q.dst); err != nil {
			return f, fmt.Errorf("list facets: %w", err)
		}
	}
	return f, nil
}

func (db *DB) uiStrings(ctx context.Context, query string, dst *[]string) error {
	rows, err := db.db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*dst = append(*dst, s)
	}
	return rows.Err()
}
