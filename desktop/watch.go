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
	// Life is the app's lifetime: calls run under its context and
	// background work joins it. Nil: the process's lifetime, for tests
	// and tools that close nothing.
	Life *Life
	// OpenWorkspace, if set, opens another workspace in a new window or
	// server for the workspace switcher.
	OpenWorkspace OpenWorkspaceFunc
}

// AlertEvery is how often alert rules are evaluated while the app runs.
const AlertEvery = 5 * time.Minute

// WatchAlerts evaluates the workspace's alert rules every interval until
// the app shuts down, in the background (life's Close waits for the round
// in progress), passing each fired alert to notify (which may be nil: the
// UI polls Alerts.Notices for the in-app notice either way) and each failed
// round to onErr.
func WatchAlerts(life *Life, db *workspace.DB, every time.Duration, notify Notifier, onErr func(error)) error {
	return life.Go(func(ctx context.Context) {
		alert.Schedule(ctx, db, every, nil, func(c alert.Check) {
			if notify != nil && c.Event != nil {
				notify(*c.Event)
			}
		}, onErr)
	})
}
