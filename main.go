// Command loupe is the Loupe workbench: the desktop window, the same UI in a
// browser, the tray companion, and a command line over the same workspace.
// The commands live in package cli; this package adds the parts that need
// build tags (the window, with Wails's project file beside it, and the tray)
// and the version stamped at build time.
package main

import (
	"os"

	"github.com/loupe-dev/loupe/cli"
)

// version is stamped at build time from `git describe`
// (-ldflags "-X main.version=..."); plain builds say "dev".
var version = "dev"

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Host{Window: openWindow, Tray: trayView, Version: version}))
}
