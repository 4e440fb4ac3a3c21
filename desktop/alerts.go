package desktop

import (
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Alerts manages alert rules (metric, segment, condition, threshold,
// period), their history, and the in-app notices of rules that fired.
type Alerts struct {
	scope
	db     *workspace.DB
	notify Notifier
}

// NewAlerts binds alert rules and history to a workspace; notify, if set,
// hears every rule that fires from a check the UI asks for.
func NewAlerts(db *workspace.DB, notify Notifier) *Alerts {
	return &Alerts{scope: unscoped(), db: db, notify: notify}
}

// AlertRuleView is a rule with whether its condition held at the last check.
type AlertRuleView struct {
	alert.Rule
	Firing bool `json:"firing"`
}

// AlertEntry is one history entry with the name of its rule.
type AlertEntry struct {
	workspace.AlertEvent
	RuleName string `json:"rule_name"`
}

// AlertNotices are the fired alerts not yet seen, newest first, for the
// toast and the badge on the navigation.
type AlertNotices struct {
	Unseen int          `json:"unseen"`
	Events []AlertEntry `json:"events"`
}

// noticesShown bounds the unseen events sent for toasts.
const noticesShown = 20

// Rules lists every rule, oldest first.
func (a *Alerts) Rules() ([]AlertRuleView, error) {
	rules, err := alert.Rules(a.ctx, a.db)
	if err != nil {
		return nil, fail(err, "list alert rules")
	}
	out := make([]AlertRuleView, 0, len(rules))
	for _, r := range rules {
		firing, err := a.db.AlertFiring(a.ctx, r.ID)
		if err != nil {
			return nil, fail(err, "list alert rules")
		}
		out = append(out, AlertRuleView{Rule: r, Firing: firing})
	}
	return out, nil
}

// Save creates a rule (ID 0) or replaces the rule with its ID, and
// returns the rules.
func (a *Alerts) Save(r alert.Rule) ([]AlertRuleView, error) {
	r.Name = strings.TrimSpace(r.Name)
	r.Segment = strings.TrimSpace(r.Segment)
	if _, err := alert.Save(a.ctx, a.db, r); err != nil {
		return nil, fail(err, "save alert rule")
	}
	return a.Rules()
}

// SetEnabled switches a rule on or off.
func (a *Alerts) SetEnabled(id int64, enabled bool) ([]AlertRuleView, error) {
	rules, err := alert.Rules(a.ctx, a.db)
	if err != nil {
		return nil, fail(err, "switch alert rule")
	}
	for _, r := range rules {
		if r.ID == id {
			r.Enabled = enabled
			if _, err := alert.Save(a.ctx, a.db, r); err != nil {
				return nil, fail(err, "switch alert rule")
			}
			return a.Rules()
		}
	}
	return nil, fail(fmt.Errorf("alert rule %d: %w", id, ErrNotFound), "switch alert rule")
}

// Delete removes a rule with its history.
func (a *Alerts) Delete(id int64) ([]AlertRuleView, error) {
	if err := a.db.DeleteAlertRule(a.ctx, id); err != nil {
		return nil, fail(err, "delete alert rule")
	}
	return a.Rules()
}

// History lists fired and resolved entries, newest first (limit 0: 200).
func (a *Alerts) History(limit int) ([]AlertEntry, error) {
	if limit <= 0 {
		limit = 200
	}
	events, err := a.db.AlertHistory(a.ctx, 0, limit)
	if err != nil {
		return nil, fail(err, "alert history")
	}
	return a.named(events)
}

// Notices returns the fired alerts not yet seen.
func (a *Alerts) Notices() (AlertNotices, error) {
	events, err := a.db.AlertHistory(a.ctx, 0, 500)
	if err != nil {
		return AlertNotices{}, fail(err, "alert notices")
	}
	var unseen []workspace.AlertEvent
	for _, e := range events {
		if e.Kind == "fired" && !e.Seen {
			unseen = append(unseen, e)
		}
	}
	out := AlertNotices{Unseen: len(unseen)}
	if len(unseen) > noticesShown {
		unseen = unseen[:noticesShown]
	}
	if out.Events, err = a.named(unseen); err != nil {
		return AlertNotices{}, err
	}
	return out, nil
}

// MarkSeen dismisses the notices up to and including id.
func (a *Alerts) MarkSeen(upTo int64) error {
	if err := a.db.MarkAlertsSeen(a.ctx, upTo); err != nil {
		return fail(err, "mark alerts seen")
	}
	return nil
}

// Check evaluates every enabled rule now ("Check now") and returns the
// alerts that fired.
func (a *Alerts) Check() ([]AlertEntry, error) {
	checks, err := alert.Evaluate(a.ctx, a.db, alert.WorkspaceSource{DB: a.db}, time.Now(), alert.TriggerManual)
	fired := alert.Fired(checks)
	a.tell(fired)
	out, nerr := a.named(fired)
	if err != nil {
		return out, fail(err, "check alerts")
	}
	return out, nerr
}

func (a *Alerts) tell(events []workspace.AlertEvent) {
	if a.notify == nil {
		return
	}
	for _, e := range events {
		a.notify(e)
	}
}

func (a *Alerts) named(events []workspace.AlertEvent) ([]AlertEntry, error) {
	rows, err := a.db.AlertRules(a.ctx)
	if err != nil {
		return nil, fail(err, "alert history")
	}
	names := map[int64]string{}
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	out := make([]AlertEntry, 0, len(events))
	for _, e := range events {
		out = append(out, AlertEntry{AlertEvent: e, RuleName: names[e.RuleID]})
	}
	return out, nil
}
