package tray

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop/synclock"
)

func openWorkspace(t *testing.T) *workspace.DB {
	t.Helper()
	db, err := workspace.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestScheduleNextSync(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	s := Schedule{Every: 15 * time.Minute}
	for _, c := range []struct {
		last, want time.Time
	}{
		{time.Time{}, now}, // never synced: now
		{now.Add(-5 * time.Minute), now.Add(10 * time.Minute)}, // due in 10 min
		{now.Add(-time.Hour), now},                             // overdue: now
	} {
		if got := s.NextSync(c.last, now); !got.Equal(c.want) {
			t.Errorf("last %v: next %v, want %v", c.last, got, c.want)
		}
	}
	if err := (Schedule{Every: 10 * time.Second}).Validate(); err == nil {
		t.Error("a 10 s interval was accepted")
	}
}

// The schedule is saved in the workspace and read back; a bad one is
// refused and the saved one stays.
func TestScheduleSaved(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	s, err := LoadSchedule(ctx, db)
	if err != nil || s.Every != DefaultEvery || s.Paused {
		t.Fatalf("default schedule %+v %v", s, err)
	}
	if err := SaveSchedule(ctx, db, Schedule{Every: time.Hour, Paused: true}); err != nil {
		t.Fatal(err)
	}
	if err := SaveSchedule(ctx, db, Schedule{Every: time.Second}); err == nil {
		t.Fatal("a one-second schedule was saved")
	}
	s, err = LoadSchedule(ctx, db)
	if err != nil || s.Every != time.Hour || !s.Paused {
		t.Fatalf("saved schedule %+v %v", s, err)
	}
}

func TestStatusText(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		s    Status
		want string
	}{
		{Status{Sources: 1, LastSync: now.Add(-4 * time.Minute), NewSessions: 12}, "Last synced 4 min ago, 12 new sessions"},
		{Status{Sources: 1, LastSync: now.Add(-20 * time.Second), NewSessions: 1}, "Last synced just now, 1 new session"},
		{Status{Sources: 2, LastSync: now.Add(-3 * time.Hour)}, "Last synced 3 hours ago, 0 new sessions"},
		{Status{Sources: 1}, "Not synced yet"},
		{Status{}, "No sources yet: sync once from the workbench"},
		{Status{Sources: 1, Syncing: true}, "Syncing…"},
		{Status{Sources: 1, Busy: "sync already running in the workbench"}, "Sync already running in the workbench"},
		{Status{Sources: 1, LastError: "collector unreachable"}, "Sync failed: collector unreachable"},
	} {
		if got := c.s.Text(now); got != c.want {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
	if got := (Status{Every: time.Hour}).ScheduleText(); got != "Syncs every hour" {
		t.Errorf("schedule text %q", got)
	}
	if got := (Status{Every: 15 * time.Minute, Paused: true}).ScheduleText(); got != "Background sync paused" {
		t.Errorf("paused text %q", got)
	}
}

type brokenKeyring struct{}

func (brokenKeyring) Get(string) (string, error) { return "", errors.New("no secret service") }
func (brokenKeyring) Set(string, string) error   { return errors.New("no secret service") }

type mapKeyring map[string]string

func (m mapKeyring) Get(s string) (string, error) {
	if v, ok := m[s]; ok {
		return v, nil
	}
	return "", ErrNoToken
}
func (m mapKeyring) Set(s, v string) error { m[s] = v; return nil }

// Without a keyring the token is kept in memory and the tray says so; with
// one, a token given once is saved there.
func TestTokens(t *testing.T) {
	mem := NewTokens(brokenKeyring{}, "from-env")
	mem.Probe()
	if mem.Note() == "" {
		t.Error("no note while the keyring fails")
	}
	if got := mem.Token("http://c"); got != "from-env" {
		t.Errorf("token %q", got)
	}
	mem.Set("http://d", "typed")
	if got := mem.Token("http://d"); got != "typed" {
		t.Errorf("typed token %q", got)
	}

	ring := mapKeyring{}
	saved := NewTokens(ring, "from-env")
	saved.Probe()
	if saved.Note() != "" {
		t.Errorf("note %q with a working keyring", saved.Note())
	}
	if got := saved.Token("http://c"); got != "from-env" || ring["http://c"] != "from-env" {
		t.Errorf("token %q, keyring %v", got, ring)
	}
	if got := NewTokens(ring, "").Token("http://c"); got != "from-env" {
		t.Errorf("the next start did not find the saved token: %q", got)
	}
}

// "Sync now" while another program holds the sync lock reports who, and
// works once the lock is free; the status line says what happened.
func TestSyncNowRespectsTheLock(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	folder := t.TempDir()
	if err := AddSource(ctx, db, folder); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	changes := 0
	c, err := New(ctx, Config{DB: db, Tokens: NewTokens(mapKeyring{}, ""), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c.Attach(func() { changes++ }, nil)
	if got := c.Status().Text(now); got != "Not synced yet" {
		t.Fatalf("status %q", got)
	}
	lock, err := synclock.TryAcquire(db.Path(), "workbench")
	if err != nil {
		t.Fatal(err)
	}
	menu := c.Menu(ctx, Actions{})
	if _, ok := Find(menu, "sync"); !ok {
		t.Fatal("no Sync now item")
	}
	if _, err := c.SyncNow(ctx); !errors.Is(err, synclock.ErrBusy) {
		t.Fatalf("SyncNow under the workbench's lock: %v", err)
	}
	if got := c.Status().Text(now); got != "Sync already running in the workbench" {
		t.Errorf("status %q", got)
	}
	lock.Release()
	res, err := c.SyncNow(ctx)
	if err != nil || res.Sources != 1 || len(res.Failed) != 0 {
		t.Fatalf("SyncNow: %+v %v", res, err)
	}
	if got := c.Status().Text(now); got != "Last synced just now, 0 new sessions" {
		t.Errorf("status %q", got)
	}
	if changes < 4 {
		t.Errorf("the view heard %d changes, want one at each start and end", changes)
	}
	// The outcome survives a restart.
	again, err := New(ctx, Config{DB: db, Now: func() time.Time { return now.Add(4 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Status().Text(now.Add(4 * time.Minute)); got != "Last synced 4 min ago, 0 new sessions" {
		t.Errorf("after restart %q", got)
	}
}

// The menu offers Pause or Resume by the schedule, and clicking it saves
// the schedule.
func TestMenuPauseResume(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	c, err := New(ctx, Config{DB: db, Tokens: NewTokens(mapKeyring{}, "")})
	if err != nil {
		t.Fatal(err)
	}
	pause, ok := Find(c.Menu(ctx, Actions{}), "pause")
	if !ok {
		t.Fatal("no pause item")
	}
	pause.Run()
	if s, _ := LoadSchedule(ctx, db); !s.Paused {
		t.Error("pause was not saved")
	}
	resume, ok := Find(c.Menu(ctx, Actions{}), "resume")
	if !ok {
		t.Fatal("no resume item once paused")
	}
	resume.Run()
	hourly, ok := Find(c.Menu(ctx, Actions{}), "every-60")
	if !ok {
		t.Fatal("no hourly choice")
	}
	hourly.Run()
	if s, _ := LoadSchedule(ctx, db); s.Paused || s.Every != time.Hour {
		t.Errorf("schedule %+v", s)
	}
	if it, _ := Find(c.Menu(ctx, Actions{}), "every-60"); !it.Checked {
		t.Error("the hourly choice is not checked")
	}
}
