//go:build !tray

package main

import "github.com/loupe-dev/loupe/cli"

// trayView is nil: this binary has no tray (it needs cgo and -tags tray).
var trayView cli.TrayView
