//go:build !tray

package main

import (
	"context"

	"github.com/loupe-dev/loupe/desktop/tray"
)

// trayBuilt: this binary has no tray (it needs cgo and -tags tray).
const trayBuilt = false

func runTrayView(ctx context.Context, c *tray.Companion, actions tray.Actions, showStatus bool) error {
	return errNoTray
}
