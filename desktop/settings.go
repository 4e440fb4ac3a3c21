package desktop

import (
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Settings reads and changes the workspace's settings: the definitions
// that turn events into facts, and the workbench theme.
type Settings struct {
	scope
	db *workspace.DB
}

// NewSettings binds settings to a workspace.
func NewSettings(db *workspace.DB) *Settings {
	return &Settings{scope: unscoped(), db: db}
}

// themeKey is the settings key of the workbench theme.
const themeKey = "workbench.theme"

// SettingsView is what the settings view shows.
type SettingsView struct {
	Workspace   string          `json:"workspace"` // the workspace file's path
	Theme       string          `json:"theme"`     // light, dark, or "" to follow the system
	Definitions DefinitionsView `json:"definitions"`
	Defaults    DefinitionsView `json:"defaults"`
}

// DefinitionsView is core.Definitions with durations in milliseconds,
// the unit the UI's number fields use.
type DefinitionsView struct {
	SessionIdleMS            int64   `json:"session_idle_ms"`
	SessionMaxMS             int64   `json:"session_max_ms"`
	RageClicks               int     `json:"rage_clicks"`
	RageRadiusPx             float64 `json:"rage_radius_px"`
	RageWindowMS             int64   `json:"rage_window_ms"`
	DeadClickWindowMS        int64   `json:"dead_click_window_ms"`
	ErrorClickWindowMS       int64   `json:"error_click_window_ms"`
	QuickBackMS              int64   `json:"quick_back_ms"`
	ExcessiveScrollReversals int     `json:"excessive_scroll_reversals"`
	ExcessiveScrollWindowMS  int64   `json:"excessive_scroll_window_ms"`
	FunnelWindowMS           int64   `json:"funnel_window_ms"`
}

func viewOf(d core.Definitions) DefinitionsView {
	return DefinitionsView{
		SessionIdleMS: d.SessionIdle.Milliseconds(), SessionMaxMS: d.SessionMax.Milliseconds(),
		RageClicks: d.RageClicks, RageRadiusPx: d.RageRadiusPx, RageWindowMS: d.RageWindow.Milliseconds(),
		DeadClickWindowMS: d.DeadClickWindow.Milliseconds(), ErrorClickWindowMS: d.ErrorClickWindow.Milliseconds(),
		QuickBackMS: d.QuickBack.Milliseconds(), ExcessiveScrollReversals: d.ExcessiveScrollReversals,
		ExcessiveScrollWindowMS: d.ExcessiveScrollWindow.Milliseconds(), FunnelWindowMS: d.FunnelWindow.Milliseconds(),
	}
}

func (v DefinitionsView) definitions() (core.Definitions, error) {
	ms := func(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
	d := core.Definitions{
		SessionIdle: ms(v.SessionIdleMS), SessionMax: ms(v.SessionMaxMS), RageClicks: v.RageClicks,
		RageRadiusPx: v.RageRadiusPx, RageWindow: ms(v.RageWindowMS), DeadClickWindow: ms(v.DeadClickWindowMS),
		ErrorClickWindow: ms(v.ErrorClickWindowMS), QuickBack: ms(v.QuickBackMS),
		ExcessiveScrollReversals: v.ExcessiveScrollReversals, ExcessiveScrollWindow: ms(v.ExcessiveScrollWindowMS),
		FunnelWindow: ms(v.FunnelWindowMS),
	}
	for name, bad := range map[string]bool{
		"session idle time":          d.SessionIdle <= 0,
		"session length":             d.SessionMax < d.SessionIdle,
		"rage click count":           d.RageClicks < 2,
		"rage click radius":          d.RageRadiusPx <= 0,
		"rage click window":          d.RageWindow <= 0,
		"dead click window":          d.DeadClickWindow <= 0,
		"error click window":         d.ErrorClickWindow <= 0,
		"quick back time":            d.QuickBack <= 0,
		"excessive scroll reversals": d.ExcessiveScrollReversals < 1,
		"excessive scroll window":    d.ExcessiveScrollWindow <= 0,
		"funnel conversion window":   d.FunnelWindow <= 0,
	} {
		if bad {
			return d, fmt.Errorf("the %s is out of range: %w", name, ErrInvalid)
		}
	}
	return d, nil
}

// Get returns the current settings.
func (s *Settings) Get() (SettingsView, error) {
	d, err := s.db.Definitions(s.ctx)
	if err != nil {
		return SettingsView{}, fail(err, "read settings")
	}
	var theme string
	if _, err := s.db.Setting(s.ctx, themeKey, &theme); err != nil {
		return SettingsView{}, fail(err, "read settings")
	}
	return SettingsView{Workspace: s.db.Path(), Theme: theme, Definitions: viewOf(d), Defaults: viewOf(core.Default())}, nil
}

// SetTheme stores the workbench theme: "light", "dark" or "" (system).
func (s *Settings) SetTheme(theme string) error {
	switch theme {
	case "", "light", "dark":
	default:
		return fail(fmt.Errorf("theme %q: want light or dark: %w", theme, ErrInvalid), "set theme")
	}
	return fail(s.db.SetSetting(s.ctx, themeKey, theme), "set theme")
}

// SetDefinitions stores new definitions; sessions imported from now on
// use them.
func (s *Settings) SetDefinitions(v DefinitionsView) (DefinitionsView, error) {
	d, err := v.definitions()
	if err != nil {
		return DefinitionsView{}, fail(err, "save definitions")
	}
	if err := s.db.SetDefinitions(s.ctx, d); err != nil {
		return DefinitionsView{}, fail(err, "save definitions")
	}
	return viewOf(d), nil
}
