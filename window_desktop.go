//go:build desktop

package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop"
)

// openWindow runs the Wails window over db with the same bindings browser
// mode serves, on the view address given (empty: the default view); it
// returns when the window closes.
func openWindow(ctx context.Context, db *workspace.DB, view string) error {
	// Alerts reach the desktop as notifications while the window is open;
	// without a notification daemon they still show in the window.
	notifier := &desktop.DesktopNotifier{}
	defer notifier.Close()
	// The app's lifetime: binding calls run under it, and closing it stops
	// and joins a running sync and the alert watch. It ends in OnShutdown,
	// before the caller closes the workspace (Wails' own context is never
	// cancelled); the defer covers a Run that fails before start-up.
	life := desktop.NewLife(ctx)
	defer life.Close()
	err := wails.Run(&options.App{
		Title:     "Loupe",
		Width:     1280,
		Height:    800,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets: windowUI(),
			// Paths the bundle lacks: the stored page assets replays load.
			Handler: desktop.AssetHandler(db),
			// The same policy as browser mode: nothing a replay loads leaves
			// the machine.
			Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					windowHeaders(w.Header())
					next.ServeHTTP(w, r)
				})
			},
		},
		BackgroundColour: &options.RGBA{R: 247, G: 247, B: 248, A: 255},
		Bind:             append(desktop.BindingsWith(db, desktop.Options{Notify: notifier.Notifier(), Life: life, OpenWorkspace: desktop.OpenInNewWindow}), desktop.NewStartup(view)),
		// Ctrl+C or SIGTERM on the command line closes the window too.
		OnStartup: func(wctx context.Context) {
			err := desktop.WatchAlerts(life, db, desktop.AlertEvery, notifier.Notifier(), func(err error) {
				runtime.LogErrorf(wctx, "alerts: %v", err)
			})
			if err != nil {
				runtime.LogErrorf(wctx, "alerts: %v", err)
			}
			go func() {
				<-ctx.Done()
				runtime.Quit(wctx)
			}()
		},
		OnShutdown: func(context.Context) { life.Close() },
	})
	if err != nil {
		return fmt.Errorf("open window: %w", err)
	}
	return nil
}
