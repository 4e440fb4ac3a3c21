package dashboard

import (
	"context"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// settingKey is where the workspace keeps the saved dashboard.
const settingKey = "workbench.dashboard"

// maxDays bounds a dashboard's period.
const maxDays = 366

// Load returns the saved dashboard, or the default template.
func Load(ctx context.Context, db *workspace.DB) (Dashboard, error) {
	var d Dashboard
	ok, err := db.Setting(ctx, settingKey, &d)
	if err != nil {
		return Dashboard{}, fmt.Errorf("read dashboard: %w", err)
	}
	if !ok || len(d.Cards) == 0 {
		d, _ = FromTemplate(DefaultTemplate)
	}
	return d, nil
}

// UseTemplate replaces the saved dashboard with a role template.
func UseTemplate(ctx context.Context, db *workspace.DB, name string) (Dashboard, error) {
	d, ok := FromTemplate(name)
	if !ok {
		return Dashboard{}, fmt.Errorf("template %q: %w", name, ErrUnknownTemplate)
	}
	return Save(ctx, db, d)
}

// Check validates a dashboard and fills in the default title of any card
// without one.
func Check(d Dashboard) (Dashboard, error) {
	if d.Days <= 0 || d.Days > maxDays {
		return Dashboard{}, fmt.Errorf("a period of %d days: want 1 to %d: %w", d.Days, maxDays, ErrInvalid)
	}
	cards := make([]Card, len(d.Cards))
	for i, c := range d.Cards {
		if _, ok := kinds[c.Kind]; !ok {
			return Dashboard{}, fmt.Errorf("card %d: unknown kind %q: %w", i+1, c.Kind, ErrInvalid)
		}
		if strings.TrimSpace(c.Segment) != "" {
			if _, err := segment.Parse(c.Segment); err != nil {
				return Dashboard{}, fmt.Errorf("card %d: %w", i+1, err)
			}
		}
		if strings.TrimSpace(c.Title) == "" {
			c.Title = kinds[c.Kind]
		}
		cards[i] = c
	}
	d.Cards = cards
	return d, nil
}

// Save checks and stores a dashboard (cards added, removed, reordered or
// scoped by a segment) and returns it as stored.
func Save(ctx context.Context, db *workspace.DB, d Dashboard) (Dashboard, error) {
	d, err := Check(d)
	if err != nil {
		return Dashboard{}, err
	}
	if err := db.SetSetting(ctx, settingKey, d); err != nil {
		return Dashboard{}, fmt.Errorf("save dashboard: %w", err)
	}
	return d, nil
}
