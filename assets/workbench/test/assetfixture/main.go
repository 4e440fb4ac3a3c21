// Command assetfixture writes the recording the workbench's page-asset
// browser test replays: a page with a PNG, a stylesheet with a background
// image and a web font, and an image that was not fetched, as an archive
// carrying its assets (see core/replay/replaytest).
//
//	go run ./assets/workbench/test/assetfixture [-font F.ttf] [-store DIR] OUT.loupe
//
// -store also writes DIR as a copied file store: the archive without its
// assets, and the assets under DIR/assets/ab/<sha256>, for a folder sync.
// The font must be a real TrueType file so the browser can load it; the
// default is Liberation Sans, which the browser tests install anyway.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/loupe-dev/loupe/core/archive"
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
	fs := flag.NewFlagSet("assetfixture", flag.ContinueOnError)
	fontPath := fs.String("font", defaultFont, "a TrueType font file")
	store := fs.String("store", "", "also write a store folder with the archive and its assets")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: assetfixture [-font F.ttf] [-store DIR] OUT.loupe")
	}
	out := fs.Arg(0)
	font, err := os.ReadFile(*fontPath)
	if err != nil {
		return fmt.Errorf("read the font: %w", err)
	}
	page, err := replaytest.New(font)
	if err != nil {
		return err
	}
	if *store != "" {
		for _, d := range page.Data {
			p := filepath.Join(*store, filepath.FromSlash(archive.AssetKey(d.SHA256)))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, d.Data, 0o644); err != nil {
				return err
			}
		}
		if err := writeArchive(filepath.Join(*store, replaytest.SessionID+".loupe"), page, false); err != nil {
			return err
		}
	}
	return writeArchive(out, page, true)
}

// writeArchive writes the page's archive to path through a temp file.
func writeArchive(path string, page replaytest.Page, carry bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".assetfixture-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := page.WriteArchive(tmp, carry); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
