//go:build !desktop

package main

import "github.com/loupe-dev/loupe/cli"

// openWindow is nil in the window-less build: `loupe open` then explains
// how to build the window or use browser mode.
var openWindow cli.Window
