package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/workspace"
)

// demoFunnel is the demo shop's purchase path.
var demoFunnel = []string{"page:/product.html", "page:/cart.html", "page:/checkout.html", "page:/thanks.html"}

// seedDemo gives a fresh demo workspace what an analyst would have set up
// by now — a saved purchase funnel, two saved segments, an alert rule and a
// first insights scan — so every view has something to show.
func seedDemo(ctx context.Context, db *workspace.DB) error {
	q := funnel.Query{}
	for _, s := range demoFunnel {
		st, err := funnel.ParseStep(s)
		if err != nil {
			return fmt.Errorf("demo funnel: %w", err)
		}
		q.Steps = append(q.Steps, st)
	}
	if err := db.SaveFunnel(ctx, "Purchase", q); err != nil {
		return err
	}
	for name, text := range map[string]string{
		"Frustrated mobile visitors": `device = mobile and (tag = rage_click or tag = dead_click or tag = error_click)`,
		"Reached checkout, no order": `visited "/checkout*" and not visited "/thanks*"`,
	} {
		e, err := workspace.ParseSegment(text)
		if err != nil {
			return fmt.Errorf("demo segment %q: %w", name, err)
		}
		if err := db.SaveSegment(ctx, name, e); err != nil {
			return err
		}
	}
	rule := alert.Rule{Name: "Error rate", Metric: alert.ErrorRate, Condition: alert.Above, Threshold: 15, Enabled: true,
		Period: alert.Duration(7 * 24 * time.Hour)}
	if _, err := alert.Save(ctx, db, rule); err != nil {
		return err
	}
	if _, err := alert.AfterSync(ctx, db, time.Now()); err != nil {
		return err
	}
	_, _, err := insight.Service{DB: db}.Scan(ctx, insight.ScanRequest{Funnel: demoFunnel})
	return err
}
