package workspace

import (
	"context"
	"fmt"
	"time"
)

// retentionKey is the settings key of the retention rule.
const retentionKey = "retention_days"

// RetentionDays returns how many days of sessions the workspace keeps;
// 0 means all of them.
func (db *DB) RetentionDays(ctx context.Context) (int, error) {
	var days int
	if _, err := db.Setting(ctx, retentionKey, &days); err != nil {
		return 0, err
	}
	return days, nil
}

// SetRetentionDays sets the retention rule; 0 keeps everything.
func (db *DB) SetRetentionDays(ctx context.Context, days int) error {
	if days < 0 || days > 100*365 {
		return fmt.Errorf("set retention: %w: %d days is not between 0 (keep all) and 36500", ErrBadQuery, days)
	}
	return db.SetSetting(ctx, retentionKey, days)
}

// ApplyRetention deletes the sessions that started more than the
// retention rule's days before now (nothing when there is no rule) and
// reclaims their space. Sync calls it after every run.
func (db *DB) ApplyRetention(ctx context.Context, now time.Time) (ErasureReport, error) {
	days, err := db.RetentionDays(ctx)
	if err != nil || days == 0 {
		return ErasureReport{Sessions: []string{}}, err
	}
	return db.Erase(ctx, Erasure{Before: now.AddDate(0, 0, -days)}, false)
}
