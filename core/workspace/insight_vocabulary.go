package workspace

import (
	"context"
	"fmt"
)

// AskVocabulary is what the workspace calls things, for reading sentences
// (core/ask): its distinct pages, clicked elements, custom events and
// session attributes.
type AskVocabulary struct {
	Pages     []string
	Elements  [][2]string // selector, text
	Events    []string
	Countries []string
	Devices   []string
	Browsers  []string
	OS        []string
	Tags      []string
}

// maxVocabularyElements bounds the elements read: the most clicked ones
// are the ones people name.
const maxVocabularyElements = 500

// AskVocabulary reads the workspace's vocabulary.
func (db *DB) AskVocabulary(ctx context.Context) (AskVocabulary, error) {
	var v AskVocabulary
	lists := []struct {
		dst   *[]string
		query string
	}{
		{&v.Pages, `SELECT DISTINCT p.path FROM pageviews pv JOIN paths p ON p.id = pv.path_id ORDER BY p.path`},
		{&v.Events, `SELECT DISTINCT s.s FROM custom_events e JOIN strs s ON s.id = e.name_id ORDER BY s.s`},
		{&v.Countries, `SELECT DISTINCT country FROM sessions WHERE country != '' ORDER BY country`},
		{&v.Devices, `SELECT DISTINCT device FROM sessions WHERE device != '' ORDER BY device`},
		{&v.Browsers, `SELECT DISTINCT browser FROM sessions WHERE browser != '' ORDER BY browser`},
		{&v.OS, `SELECT DISTINCT os FROM sessions WHERE os != '' ORDER BY os`},
		{&v.Tags, `SELECT DISTINCT tag FROM tags ORDER BY tag`},
	}
	for _, l := range lists {
		rows, err := db.db.QueryContext(ctx, l.query)
		if err != nil {
			return v, fmt.Errorf("read vocabulary: %w", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return v, fmt.Errorf("read vocabulary: %w", err)
			}
			*l.dst = append(*l.dst, s)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return v, fmt.Errorf("read vocabulary: %w", err)
		}
	}
	rows, err := db.db.QueryContext(ctx, `SELECT sel.selector, coalesce(t.s, '') FROM clicks c
		JOIN selectors sel ON sel.id = c.selector_id LEFT JOIN strs t ON t.id = c.text_id
		GROUP BY c.selector_id, c.text_id ORDER BY count(*) DESC, sel.selector LIMIT ?`, maxVocabularyElements)
	if err != nil {
		return v, fmt.Errorf("read vocabulary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e [2]string
		if err := rows.Scan(&e[0], &e[1]); err != nil {
			return v, fmt.Errorf("read vocabulary: %w", err)
		}
		v.Elements = append(v.Elements, e)
	}
	return v, rows.Err()
}
