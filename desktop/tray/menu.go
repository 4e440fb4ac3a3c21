package tray

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/desktop/synclock"
)

// Item is one entry of the tray menu. The view draws Label, greys out
// Disabled entries, shows a check mark on Checkable ones and calls Run on
// a click; a Separator has nothing else.
type Item struct {
	ID        string
	Label     string
	Disabled  bool
	Checkable bool
	Checked   bool
	Separator bool
	Children  []Item
	Run       func()
}

// Actions are the entries whose work belongs to the view or the program:
// opening windows and quitting.
type Actions struct {
	OpenWorkbench func()
	ShowStatus    func()
	Quit          func()
	// Autostart is nil where starting at login is not implemented.
	Autostart *Autostart
	// OnError hears what a click could not do.
	OnError func(error)
}

// Intervals are the schedule choices the menu offers.
var Intervals = []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 6 * time.Hour}

// Menu builds the tray menu for the current state. ctx bounds the work a
// click starts (the tray's lifetime).
func (c *Companion) Menu(ctx context.Context, a Actions) []Item {
	st := c.Status()
	now := c.cfg.Now()
	fail := func(err error) {
		if err != nil && a.OnError != nil {
			a.OnError(err)
		}
	}
	items := []Item{
		{ID: "status", Label: st.Text(now), Disabled: true},
		{ID: "schedule", Label: st.ScheduleText(), Disabled: true},
	}
	if st.KeyringNote != "" {
		items = append(items, Item{ID: "keyring", Label: "No keyring: token kept in memory only", Disabled: true})
	}
	items = append(items, Item{Separator: true},
		Item{ID: "sync", Label: "Sync now", Disabled: st.Syncing, Run: func() {
			go func() {
				// Another sync running (here or in another program) shows
				// in the status line; it is not a failure.
				_, err := c.SyncNow(ctx)
				if err != nil && !errors.Is(err, ErrAlreadySyncing) && !errors.Is(err, synclock.ErrBusy) {
					fail(err)
				}
			}()
		}})
	pause := Item{ID: "pause", Label: "Pause background sync", Run: func() { fail(c.SetPaused(ctx, true)) }}
	if st.Paused {
		pause = Item{ID: "resume", Label: "Resume background sync", Run: func() { fail(c.SetPaused(ctx, false)) }}
	}
	items = append(items, pause)
	var every []Item
	for _, d := range Intervals {
		d := d
		every = append(every, Item{ID: fmt.Sprintf("every-%d", int(d/time.Minute)), Label: "Every " + everyLabel(d),
			Checkable: true, Checked: st.Every == d, Run: func() {
				s := c.Schedule()
				s.Every = d
				fail(c.SetSchedule(ctx, s))
			}})
	}
	items = append(items, Item{ID: "interval", Label: "Sync interval", Children: every}, Item{Separator: true})

	alerts := c.Alerts()
	if len(alerts) == 0 {
		items = append(items, Item{ID: "alerts", Label: "No alerts fired", Disabled: true})
	} else {
		items = append(items, Item{ID: "alerts", Label: "Last alerts:", Disabled: true})
		for i, e := range alerts {
			items = append(items, Item{ID: fmt.Sprintf("alert-%d", i), Label: alertLabel(e.At, e.Message, now), Disabled: true})
		}
	}
	items = append(items, Item{Separator: true})
	if a.OpenWorkbench != nil {
		items = append(items, Item{ID: "open", Label: "Open workbench", Run: a.OpenWorkbench})
	}
	if a.ShowStatus != nil {
		items = append(items, Item{ID: "window", Label: "Show status window", Run: a.ShowStatus})
	}
	if a.Autostart != nil {
		on := a.Autostart.Enabled()
		items = append(items, Item{ID: "autostart", Label: "Start at login", Checkable: true, Checked: on, Run: func() {
			if on {
				fail(a.Autostart.Disable())
			} else {
				fail(a.Autostart.Enable())
			}
			c.changed()
		}})
	}
	if a.Quit != nil {
		items = append(items, Item{Separator: true}, Item{ID: "quit", Label: "Quit", Run: a.Quit})
	}
	return items
}

func everyLabel(d time.Duration) string {
	if d == time.Hour {
		return "hour"
	}
	return every(d)
}

// alertLabel is one alert line: "14:02 Sessions rose above 20 …", cut to a
// menu's width.
func alertLabel(at time.Time, msg string, now time.Time) string {
	stamp := at.Local().Format("15:04")
	if now.Sub(at) > 24*time.Hour {
		stamp = at.Local().Format("Jan 2")
	}
	line := stamp + "  " + msg
	if r := []rune(line); len(r) > 70 {
		line = string(r[:69]) + "…"
	}
	return line
}

// Find returns the item with id anywhere in items.
func Find(items []Item, id string) (Item, bool) {
	for _, it := range items {
		if it.ID == id {
			return it, true
		}
		if sub, ok := Find(it.Children, id); ok {
			return sub, true
		}
	}
	return Item{}, false
}
