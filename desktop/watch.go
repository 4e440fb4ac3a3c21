package desktop

import (
	"context"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Notifier hears each alert that fires while the workbench runs; the
// window sends it on as a desktop notification.
type Notifier func(workspace.AlertEvent)

// Options are what the window and browser mode set differently.
type Options struct {
	// Notify, if set, hears every alert fired by a sync, an import or a
	// check the UI starts.
	Notify Notifier
}

// AlertEvery is how often alert rules are evaluated while the app runs.
const AlertEvery = 5 * time.Minute

// WatchAlerts evaluates the workspace's alert rules every interval until
// ctx ends, in the background, passing each fired alert to notify (which
// may be nil: the UI polls Alerts.Notices for the in-app notice either
// way) and each failed round to onErr.
func WatchAlerts(ctx context.Context, db *workspace.DB, every time.Duration, notify Notifier, onErr func(error)) {
	go alert.Schedule(ctx, db, every, nil, func(c alert.Check) {
		if notify != nil && c.Event != nil {
			notify(*c.Event)
		}
	}, onErr)
}
