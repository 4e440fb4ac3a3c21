// Package assets embeds everything Loupe serves to a browser: the built
// tracker bundle, the built workbench UI, and the demo shop with its
// recordings. The bundles are built from the npm projects beside this file
// and committed, so `go build ./...` works from a fresh clone without npm.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

//go:embed all:demo/site all:demo/recordings all:demo/cdn
var demo embed.FS

// Tracker returns the built tracker script served at /t.js.
func Tracker() ([]byte, error) { return dist.ReadFile("dist/tracker/t.js") }

// TrackerFeedback returns the feedback prompt's script, served at
// /t-feedback.js beside /t.js; t.js fetches it only when a prompt rule
// matches the page.
func TrackerFeedback() ([]byte, error) { return dist.ReadFile("dist/tracker/t-feedback.js") }

// Workbench is the built workbench UI (index.html at its root).
func Workbench() fs.FS { return sub(dist, "dist/workbench") }

// DemoSite is the demo shop: static pages that load the tracker.
func DemoSite() fs.FS { return sub(demo, "demo/site") }

// DemoCDN is what the demo shop's CDN origin serves: product photos, a
// background texture, the web font and the stylesheet that uses them.
func DemoCDN() fs.FS { return sub(demo, "demo/cdn") }

// DemoRecordings holds recorded tracker batches of visits to the demo shop,
// replayed through the real ingest path by `loupe demo`.
func DemoRecordings() fs.FS { return sub(demo, "demo/recordings") }

func sub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // dir is a constant inside this package
	}
	return s
}

// SharePlayer returns the one-file player's script and stylesheet, which
// `loupe share` inlines into every file it writes.
func SharePlayer() (js, css []byte, err error) {
	if js, err = dist.ReadFile("dist/share/share.js"); err != nil {
		return nil, nil, err
	}
	if css, err = dist.ReadFile("dist/share/share.css"); err != nil {
		return nil, nil, err
	}
	return js, css, nil
}
