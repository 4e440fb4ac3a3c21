package alert

import (
	"context"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
)

// Schedule evaluates every rule each interval until ctx ends, calling
// notify for each rule that fires (the in-app notice and the OS
// notification hang off it) and onErr, if set, for a failed round. now
// gives the time of each round; nil means time.Now.
func Schedule(ctx context.Context, db *workspace.DB, every time.Duration, now func() time.Time,
	notify func(Check), onErr func(error)) {
	if now == nil {
		now = time.Now
	}
	t := time.NewTicker(every)
	defer t.Stop()
	src := WorkspaceSource{DB: db}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		checks, err := Evaluate(ctx, db, src, now(), TriggerSchedule)
		if err != nil && onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
		for _, c := range checks {
			if c.Event != nil && c.Event.Kind == "fired" && notify != nil {
				notify(c)
			}
		}
	}
}
