//go:build !desktop

package main

import (
	"context"

	"github.com/loupe-dev/loupe/core/workspace"
)

// openWindow is the window-less build's stand-in.
func openWindow(ctx context.Context, db *workspace.DB, view string) error { return errNoWindow }
