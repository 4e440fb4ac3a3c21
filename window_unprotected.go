//go:build desktop && unprotectedreplay

package main

// The window check's control build (desktop/windowcheck.sh): the window
// with every replay protection taken away, so the check can show that its
// detectors see a hostile recording run script and reach outside hosts.
// Besides the sanitizer (core/replay), that means the content policy
// header and the replay iframe's sandbox, each of which alone stops
// recorded script. No released binary carries the tag.

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing/fstest"

	"github.com/loupe-dev/loupe/assets"
)

// windowUI is the workbench with rrweb's replay iframe allowed to run
// scripts: the sandbox gains allow-scripts and rrweb's refusal to rebuild
// into such a frame is skipped.
func windowUI() fs.FS {
	ui := fstest.MapFS{}
	sandboxes, refusals := 0, 0
	err := fs.WalkDir(assets.Workbench(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.Workbench(), name)
		if err != nil {
			return err
		}
		if strings.HasSuffix(name, ".js") {
			s := string(b)
			sandboxes += strings.Count(s, sandboxOnly)
			s = strings.ReplaceAll(s, sandboxOnly, sandboxScripts)
			refusals += len(refusal.FindAllStringIndex(s, -1))
			s = refusal.ReplaceAllString(s, "return;")
			b = []byte(s)
		}
		ui[name] = &fstest.MapFile{Data: b, Mode: 0o444}
		return nil
	})
	if err != nil || sandboxes == 0 || refusals == 0 {
		// Without both changes the control would replay protected and
		// prove nothing; stop rather than pretend.
		panic("unprotected window: rrweb's sandbox was not found in the workbench bundle")
	}
	return ui
}

const (
	sandboxOnly    = "`sandbox`,`allow-same-origin`)"
	sandboxScripts = "`sandbox`,`allow-same-origin allow-scripts`)"
)

// refusal is rrweb-snapshot's guard against rebuilding into a frame that
// may run scripts.
var refusal = regexp.MustCompile(`if\(\w+\.UNSAFE_allowUnprotectedRebuild\)return;`)

// windowHeaders sets no content policy, so nothing stops a script's
// requests either.
func windowHeaders(http.Header) {}
