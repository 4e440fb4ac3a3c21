//go:build tray

// Package view draws the tray companion with Fyne: the system-tray icon and
// its menu (fyne.io/systray: StatusNotifierItem over D-Bus on Linux, the
// notification area on Windows, the menu bar on macOS), a small status
// window, and alerts as desktop notifications. All decisions are in package
// tray; this package only turns its Menu into Fyne menus and back.
//
// It needs cgo and is built only with -tags tray.
package view

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop/tray"
)

// AppID is the tray's application id (its preferences folder, its name on
// the notification bus).
const AppID = "dev.loupe.tray"

// Options are what Run shows.
type Options struct {
	Companion *tray.Companion
	// Actions are the program's own entries; ShowStatus and Quit are
	// filled in here.
	Actions tray.Actions
	// Icon is a PNG for the tray and the window.
	Icon []byte
	// ShowStatus opens the status window at start.
	ShowStatus bool
	// Fallback sends a notification when Fyne cannot (no app yet); nil:
	// none.
	Fallback func(workspace.AlertEvent)
}

// ErrNoDisplay is returned on Linux when there is no desktop session to
// show a tray in.
var ErrNoDisplay = errors.New("no display: the tray needs a desktop session (DISPLAY or WAYLAND_DISPLAY)")

// refreshEvery redraws the menu so "4 min ago" stays true.
const refreshEvery = 30 * time.Second

// Run shows the tray until the analyst quits or ctx ends. Fyne must own
// the main goroutine: call Run from main's goroutine.
func Run(ctx context.Context, o Options) error {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return ErrNoDisplay
	}
	a := app.NewWithID(AppID)
	icon := fyne.NewStaticResource("loupe.png", o.Icon)
	a.SetIcon(icon)
	desk, ok := a.(desktop.App)
	if !ok {
		return errors.New("this system offers no system tray to Fyne")
	}
	quit := ctx // the program's end (a signal) quits the tray
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the schedule and the redraws once the app ended

	c := o.Companion
	win := newStatusWindow(a, c)
	actions := o.Actions
	actions.ShowStatus = win.show
	actions.Quit = a.Quit
	onError := actions.OnError
	actions.OnError = func(err error) {
		fyne.Do(func() { win.setError(err) })
		if onError != nil {
			onError(err)
		}
	}

	var mu sync.Mutex // one redraw at a time; Fyne runs each on its thread
	var shown string
	draw := func() {
		mu.Lock()
		defer mu.Unlock()
		items := c.Menu(ctx, actions)
		// Setting the menu rebuilds it (new item ids on D-Bus): only
		// when something in it changed, not on every tick.
		if sig := signature(items); sig != shown {
			desk.SetSystemTrayMenu(fyneMenu(items))
			shown = sig
		}
		win.refresh()
	}
	redraw := func() { fyne.Do(draw) }
	// The tray starts with the app's loop only if its menu is set before
	// Run.
	draw()
	c.Attach(redraw, func(e workspace.AlertEvent) {
		a.SendNotification(fyne.NewNotification("Loupe alert", e.Message))
	})
	defer c.Attach(nil, o.Fallback)

	a.Lifecycle().SetOnStarted(func() {
		if o.ShowStatus {
			win.show()
		}
		go c.Run(ctx)
		go func() {
			t := time.NewTicker(refreshEvery)
			defer t.Stop()
			for {
				select {
				case <-quit.Done():
					fyne.Do(a.Quit)
					return
				case <-ctx.Done():
					return
				case <-t.C:
					redraw()
				}
			}
		}()
	})
	a.Run()
	return nil
}

// signature is what the analyst sees of a menu.
func signature(items []tray.Item) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s|%s|%t|%t|%t|%t[%s]\n", it.ID, it.Label, it.Disabled, it.Checkable, it.Checked,
			it.Separator, signature(it.Children))
	}
	return b.String()
}

// fyneMenu turns the model into Fyne's menu.
func fyneMenu(items []tray.Item) *fyne.Menu {
	return fyne.NewMenu("Loupe", fyneItems(items)...)
}

func fyneItems(items []tray.Item) []*fyne.MenuItem {
	out := make([]*fyne.MenuItem, 0, len(items))
	for _, it := range items {
		if it.Separator {
			out = append(out, fyne.NewMenuItemSeparator())
			continue
		}
		mi := fyne.NewMenuItem(it.Label, it.Run)
		mi.Disabled = it.Disabled
		mi.Checked = it.Checkable && it.Checked
		if it.ID == "quit" {
			mi.IsQuit = true
		}
		if len(it.Children) > 0 {
			mi.ChildMenu = fyne.NewMenu(it.Label, fyneItems(it.Children)...)
		}
		out = append(out, mi)
	}
	return out
}
