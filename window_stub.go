//go:build !desktop

package main

import (
	"context"
	"errors"

	"github.com/loupe-dev/loupe/core/workspace"
)

// errNoWindow explains how to get the window when this binary has none.
var errNoWindow = errors.New("this loupe binary was built without the desktop window; " +
	"build it with `go build -tags desktop,production,webkit2_41 .`, or run `loupe serve` and open the printed address in a browser")

// openWindow is the window-less build's stand-in.
func openWindow(ctx context.Context, db *workspace.DB, view string) error { return errNoWindow }
