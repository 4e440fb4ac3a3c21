//go:build !desktop

package main

// windowBuilt: this binary has no window; the tray looks for loupe-window.
const windowBuilt = false
