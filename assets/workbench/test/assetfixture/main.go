// Command assetfixture writes the recording the workbench's page-asset
// browser test replays: a page with a PNG, a stylesheet with a background
// image and a web font, and an image that was not fetched, as an archive
// carrying its assets (see core/replay/replaytest).
//
//	go run ./assets/workbench/test/assetfixture OUT.loupe [FONT.ttf]
//
// The font must be a real TrueType file so the browser can load it; the
// default is Liberation Sans, which the browser tests install anyway.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/replay/replaytest"
)

const defaultFont = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "assetfixture:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("usage: assetfixture OUT.loupe [FONT.ttf]")
	}
	fontPath := defaultFont
	if len(args) == 2 {
		fontPath = args[1]
	}
	font, err := os.ReadFile(fontPath)
	if err != nil {
		return fmt.Errorf("read the font: %w", err)
	}
	page, err := replaytest.New(font)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(args[0]), ".assetfixture-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := page.WriteArchive(tmp, true); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), args[0])
}
