package tray

import (
	"fmt"
	"strings"
	"time"
)

// Status is what the tray knows of the syncs it ran.
type Status struct {
	// Syncing is true while a sync runs.
	Syncing bool
	// LastSync is when the last sync finished (zero: none yet).
	LastSync time.Time
	// NewSessions counts the sessions the last sync brought.
	NewSessions int
	// LastError is why the last sync failed, "" when it worked.
	LastError string
	// Busy is set when the last attempt found another program syncing.
	Busy string
	// Paused mirrors the schedule.
	Paused bool
	// Every mirrors the schedule.
	Every time.Duration
	// Sources counts the sources a sync reads.
	Sources int
	// KeyringNote says how the collector token is kept when no keyring
	// answers; "" when one does.
	KeyringNote string
}

// Text is the status line at the top of the menu, e.g.
// "Last synced 4 min ago, 12 new sessions".
func (s Status) Text(now time.Time) string {
	switch {
	case s.Syncing:
		return "Syncing…"
	case s.Busy != "":
		return capitalise(s.Busy)
	case s.Sources == 0:
		return "No sources yet: sync once from the workbench"
	case s.LastError != "" && s.LastSync.IsZero():
		return "Sync failed: " + s.LastError
	case s.LastSync.IsZero():
		return "Not synced yet"
	}
	text := fmt.Sprintf("Last synced %s, %s", ago(now.Sub(s.LastSync)), plural(s.NewSessions, "new session"))
	if s.LastError != "" {
		text = "Sync failed: " + s.LastError + " (" + text + ")"
	}
	return text
}

// ScheduleText describes the background schedule for the menu.
func (s Status) ScheduleText() string {
	if s.Paused {
		return "Background sync paused"
	}
	return "Syncs every " + every(s.Every)
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	default:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
}

func every(d time.Duration) string {
	switch {
	case d%time.Hour == 0 && d >= time.Hour:
		if d == time.Hour {
			return "hour"
		}
		return plural(int(d/time.Hour), "hour")
	case d%time.Minute == 0:
		if d == time.Minute {
			return "minute"
		}
		return fmt.Sprintf("%d min", int(d/time.Minute))
	default:
		return d.String()
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
