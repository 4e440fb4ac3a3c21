package tray

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop/synclock"
	"github.com/loupe-dev/loupe/sync/pull"
	"github.com/loupe-dev/loupe/sync/source"
)

// lastSyncKey keeps the outcome of the tray's last sync, so the status
// line survives a restart.
const lastSyncKey = "tray.last_sync"

// recentAlerts is how many fired alerts the menu lists.
const recentAlerts = 5

// Config is what a Companion works with.
type Config struct {
	// DB is the workspace the tray syncs into.
	DB *workspace.DB
	// Tokens finds each collector's token (default: the OS keyring only).
	Tokens *Tokens
	// Notify shows one fired alert as a desktop notification.
	Notify func(workspace.AlertEvent)
	// OnChange is called (from any goroutine) after the status, the
	// schedule or the alerts changed, so the view redraws the menu.
	OnChange func()
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// lastSync is the saved outcome of the last sync.
type lastSync struct {
	At          time.Time `json:"at"`
	NewSessions int       `json:"new_sessions"`
	Error       string    `json:"error,omitempty"`
}

// Companion syncs a workspace's saved sources on a schedule and on demand,
// evaluates alert rules after each sync (pull.Sync does) and passes the
// alerts that fire to Notify.
type Companion struct {
	cfg  Config
	wake chan struct{} // the schedule changed: recompute the next sync

	mu       sync.Mutex
	schedule Schedule
	status   Status
	alerts   []workspace.AlertEvent // newest first
}

// New loads the schedule, the last sync and the last alerts of cfg.DB.
func New(ctx context.Context, cfg Config) (*Companion, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Tokens == nil {
		cfg.Tokens = NewTokens(OSKeyring{}, "")
	}
	c := &Companion{cfg: cfg, wake: make(chan struct{}, 1)}
	s, err := LoadSchedule(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	c.schedule = s
	var last lastSync
	if _, err := cfg.DB.Setting(ctx, lastSyncKey, &last); err != nil {
		return nil, err
	}
	c.status = Status{LastSync: last.At, NewSessions: last.NewSessions, LastError: last.Error}
	hist, err := cfg.DB.AlertHistory(ctx, 0, 4*recentAlerts)
	if err != nil {
		return nil, err
	}
	for _, e := range hist {
		if e.Kind == "fired" && len(c.alerts) < recentAlerts {
			c.alerts = append(c.alerts, e)
		}
	}
	if err := c.countSources(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Companion) countSources(ctx context.Context) error {
	srcs, err := SavedSources(ctx, c.cfg.DB)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.status.Sources = len(srcs)
	c.mu.Unlock()
	return nil
}

// Attach sets who hears changes and fired alerts: the view, which exists
// only after the Companion. Either may be nil.
func (c *Companion) Attach(onChange func(), notify func(workspace.AlertEvent)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.OnChange, c.cfg.Notify = onChange, notify
}

func (c *Companion) changed() {
	c.mu.Lock()
	f := c.cfg.OnChange
	c.mu.Unlock()
	if f != nil {
		f()
	}
}

func (c *Companion) notify(e workspace.AlertEvent) {
	c.mu.Lock()
	f := c.cfg.Notify
	c.mu.Unlock()
	if f != nil {
		f(e)
	}
}

// Status returns what the tray shows.
func (c *Companion) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.status
	st.Paused = c.schedule.Paused
	st.Every = c.schedule.Every
	st.KeyringNote = c.cfg.Tokens.Note()
	return st
}

// Alerts returns the last alerts that fired, newest first.
func (c *Companion) Alerts() []workspace.AlertEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]workspace.AlertEvent(nil), c.alerts...)
}

// Schedule returns the background schedule.
func (c *Companion) Schedule() Schedule {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.schedule
}

// SetSchedule saves a new schedule in the workspace and applies it.
func (c *Companion) SetSchedule(ctx context.Context, s Schedule) error {
	if err := SaveSchedule(ctx, c.cfg.DB, s); err != nil {
		return err
	}
	c.mu.Lock()
	c.schedule = s
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	c.changed()
	return nil
}

// SetPaused pauses or resumes background syncs.
func (c *Companion) SetPaused(ctx context.Context, paused bool) error {
	s := c.Schedule()
	s.Paused = paused
	return c.SetSchedule(ctx, s)
}

// SyncResult is what one "Sync now" did.
type SyncResult struct {
	Sources     int
	NewSessions int
	Alerts      []workspace.AlertEvent
	// Failed lists each source that could not be synced, with why.
	Failed map[string]error
}

// ErrAlreadySyncing is returned when this tray is syncing already.
var ErrAlreadySyncing = errors.New("a sync is already running in the tray")

// SyncNow syncs every saved source once. It holds the workspace's sync
// lock for the whole run: when another program (the workbench, another
// tray) is syncing, it returns an error matching synclock.ErrBusy that
// says who, and the status line shows it. A source that fails does not
// stop the others.
func (c *Companion) SyncNow(ctx context.Context) (SyncResult, error) {
	c.mu.Lock()
	if c.status.Syncing {
		c.mu.Unlock()
		return SyncResult{}, ErrAlreadySyncing
	}
	c.status.Syncing = true
	c.status.Busy = ""
	c.mu.Unlock()
	c.changed()

	res, err := c.syncAll(ctx)

	c.mu.Lock()
	c.status.Syncing = false
	var busy *synclock.BusyError
	switch {
	case errors.As(err, &busy):
		c.status.Busy = busy.Error()
	case err != nil:
		c.status.LastError = err.Error()
	default:
		c.status.LastSync = c.cfg.Now()
		c.status.NewSessions = res.NewSessions
		c.status.LastError = failedText(res.Failed)
		c.status.Sources = res.Sources
		for _, a := range res.Alerts {
			c.alerts = append([]workspace.AlertEvent{a}, c.alerts...)
		}
		if len(c.alerts) > recentAlerts {
			c.alerts = c.alerts[:recentAlerts]
		}
	}
	last := lastSync{At: c.status.LastSync, NewSessions: c.status.NewSessions, Error: c.status.LastError}
	c.mu.Unlock()
	if err == nil {
		// The outcome is a convenience for the next start; a sync that
		// worked is not reported as failed because it could not be noted.
		_ = c.cfg.DB.SetSetting(context.WithoutCancel(ctx), lastSyncKey, last)
	}
	c.changed()
	return res, err
}

func (c *Companion) syncAll(ctx context.Context) (SyncResult, error) {
	lock, err := synclock.TryAcquire(c.cfg.DB.Path(), "tray")
	if err != nil {
		return SyncResult{}, err
	}
	defer lock.Release()
	srcs, err := SavedSources(ctx, c.cfg.DB)
	if err != nil {
		return SyncResult{}, err
	}
	res := SyncResult{Sources: len(srcs), Failed: map[string]error{}}
	for _, addr := range srcs {
		n, alerts, err := c.syncOne(ctx, addr)
		res.NewSessions += n
		res.Alerts = append(res.Alerts, alerts...)
		if err != nil {
			res.Failed[addr] = err
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

func (c *Companion) syncOne(ctx context.Context, addr string) (int, []workspace.AlertEvent, error) {
	token := ""
	if isCollector(addr) {
		token = c.cfg.Tokens.Token(addr) // only collectors take a token
	}
	src, err := source.Open(ctx, addr, token)
	if err != nil {
		return 0, nil, err
	}
	rep, err := pull.Sync(ctx, src, c.cfg.DB, pull.Options{Source: source.Name(addr)})
	// Alerts fired by what was imported before an error still count.
	for _, a := range rep.Alerts {
		c.notify(a)
	}
	if errors.Is(err, source.ErrUnauthorized) {
		err = fmt.Errorf("%s refused the collector token", addr)
	}
	return rep.Imported, rep.Alerts, err
}

func failedText(failed map[string]error) string {
	switch len(failed) {
	case 0:
		return ""
	case 1:
		for _, err := range failed {
			return err.Error()
		}
	}
	return fmt.Sprintf("%d sources failed", len(failed))
}

// Run syncs in the background on the schedule until ctx ends. The first
// sync is due one interval after the last one the workspace remembers; an
// attempt that failed or found another program syncing is retried after
// MinEvery at the soonest.
func (c *Companion) Run(ctx context.Context) {
	var attempted time.Time
	for {
		s := c.Schedule()
		var due <-chan time.Time
		var timer *time.Timer
		if !s.Paused {
			now := c.cfg.Now()
			next := s.NextSync(c.Status().LastSync, now)
			if retry := attempted.Add(MinEvery); next.Before(retry) {
				next = retry
			}
			timer = time.NewTimer(next.Sub(now))
			due = timer.C
		}
		select {
		case <-ctx.Done():
		case <-c.wake:
		case <-due:
			attempted = c.cfg.Now()
			_, _ = c.SyncNow(ctx) // the outcome shows in the status line
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// SetToken gives a source the analyst's token: kept in the keyring when
// one answers, in memory otherwise.
func (c *Companion) SetToken(source, token string) {
	c.cfg.Tokens.Set(source, token)
	c.changed()
}

// Collectors lists the saved sources that take a token (http and https),
// for the status window to offer.
func (c *Companion) Collectors(ctx context.Context) []string {
	srcs, err := SavedSources(ctx, c.cfg.DB)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range srcs {
		if isCollector(s) {
			out = append(out, s)
		}
	}
	return out
}

func isCollector(addr string) bool {
	return strings.HasPrefix(addr, "http://") || strings.HasPrefix(addr, "https://")
}
