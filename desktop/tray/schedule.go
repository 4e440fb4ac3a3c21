package tray

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
)

// scheduleKey is the workspace setting the tray's schedule is saved under,
// so the workbench and every tray over the same workspace agree on it.
const scheduleKey = "tray.schedule"

// DefaultEvery is how often the tray syncs until the analyst chooses.
const DefaultEvery = 15 * time.Minute

// MinEvery is the shortest interval accepted: a sync lists the whole
// source page by page, so more often than this only loads the collector.
const MinEvery = time.Minute

// Schedule is when the tray syncs in the background.
type Schedule struct {
	// Every is the time between the end of one background sync and the
	// start of the next.
	Every time.Duration `json:"every_ns"`
	// Paused stops background syncs; "Sync now" still works.
	Paused bool `json:"paused"`
}

// Validate refuses intervals too short to be meant.
func (s Schedule) Validate() error {
	if s.Every < MinEvery {
		return fmt.Errorf("sync interval %s: the shortest is %s", s.Every, MinEvery)
	}
	return nil
}

// LoadSchedule reads the saved schedule, or the default one.
func LoadSchedule(ctx context.Context, db *workspace.DB) (Schedule, error) {
	s := Schedule{Every: DefaultEvery}
	if _, err := db.Setting(ctx, scheduleKey, &s); err != nil {
		return Schedule{Every: DefaultEvery}, err
	}
	if s.Every < MinEvery {
		s.Every = DefaultEvery
	}
	return s, nil
}

// SaveSchedule stores s after checking it.
func SaveSchedule(ctx context.Context, db *workspace.DB, s Schedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.SetSetting(ctx, scheduleKey, s)
}

// NextSync is when the next background sync is due: every after the last
// one, or now if there never was one or it is overdue.
func (s Schedule) NextSync(last, now time.Time) time.Time {
	if last.IsZero() {
		return now
	}
	next := last.Add(s.Every)
	if next.Before(now) {
		return now
	}
	return next
}
