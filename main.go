// Command loupe is the Loupe workbench: the desktop window, the same UI in a
// browser, and a command line over the same workspace. The commands live in
// package cli; this package adds the window, which needs build tags and
// Wails's project file beside it.
package main

import (
	"os"

	"github.com/loupe-dev/loupe/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Host{Window: openWindow}))
}
