//go:build desktop && !unprotectedreplay

package main

import (
	"io/fs"
	"net/http"

	"github.com/loupe-dev/loupe/assets"
	"github.com/loupe-dev/loupe/desktop"
)

// windowUI is the workbench the window serves: the embedded bundle.
func windowUI() fs.FS { return assets.Workbench() }

// windowHeaders sets the policy headers every response of the window's
// asset server carries, the same as browser mode's.
func windowHeaders(h http.Header) { desktop.SecurityHeaders(h) }
