package deptest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/loupe-dev/loupe"

// rules say what each layer must not depend on, directly or through
// another package. Patterns are Go package patterns: "x/..." is x and
// everything under it, anything else is one package.
var rules = []struct {
	layer     string
	forbidden []string
	why       string
}{
	{
		layer: module + "/core/...",
		forbidden: []string{
			module, module + "/cli/...", module + "/desktop/...", module + "/sync/...", module + "/tracker-server/...",
			"github.com/wailsapp/...", "github.com/minio/...", "fyne.io/...", "net/http/httptest",
		},
		why: "core is the plain domain every other part builds on: no window, no storage client, no outer layer",
	},
	{
		layer: module + "/sync/...",
		forbidden: []string{
			module, module + "/cli/...", module + "/desktop/...", module + "/tracker-server/...",
			"github.com/wailsapp/...", "fyne.io/...",
		},
		why: "sync moves archives for both the collector and the workbench, so it belongs to neither",
	},
	{
		layer: module + "/tracker-server/...",
		forbidden: []string{
			module, module + "/cli/...", module + "/desktop/...", module + "/core/workspace/...",
			"modernc.org/sqlite/...", "github.com/wailsapp/...", "fyne.io/...",
		},
		why: "the collector runs on a server: it writes archives and never opens a workspace",
	},
	{
		layer: module + "/cli/...",
		forbidden: []string{
			module, "github.com/wailsapp/...", "fyne.io/...",
		},
		why: "the commands build without the window; the main package passes the window in (cli.Main)",
	},
	{
		layer: module + "/desktop/...",
		forbidden: []string{
			module, module + "/cli/...", module + "/tracker-server/...",
		},
		why: "the workbench reads archives through sync; it does not embed the collector",
	},
}

func TestLayers(t *testing.T) {
	pkgs := goList(t)
	for _, r := range rules {
		t.Run(strings.TrimPrefix(r.layer, module+"/"), func(t *testing.T) {
			n := 0
			for _, p := range pkgs.roots {
				if !match(r.layer, p) {
					continue
				}
				n++
				for _, chain := range pkgs.violations(p, r.forbidden) {
					t.Errorf("%s: %s", strings.Join(chain, " → "), r.why)
				}
			}
			if n == 0 {
				t.Fatalf("no package matches %s: the rule checks nothing", r.layer)
			}
		})
	}
}

// TestViolationsFindsIndirectImports checks the checker on a small graph,
// so a broken walk cannot pass TestLayers by finding nothing.
func TestViolationsFindsIndirectImports(t *testing.T) {
	g := graph{imports: map[string][]string{
		module + "/sync/pull":          {module + "/core/archive", "io"},
		module + "/core/archive":       {module + "/desktop", "io"},
		module + "/desktop":            {"github.com/wailsapp/wails/v2"},
		module + "/sync/file":          {"os"},
		"github.com/wailsapp/wails/v2": nil,
	}}
	got := g.violations(module+"/sync/pull", []string{module + "/desktop/...", "github.com/wailsapp/..."})
	want := [][]string{
		{module + "/sync/pull", module + "/core/archive", module + "/desktop"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("violations = %q, want %q", got, want)
	}
	got = g.violations(module+"/sync/pull", []string{"github.com/wailsapp/..."})
	want = [][]string{
		{module + "/sync/pull", module + "/core/archive", module + "/desktop", "github.com/wailsapp/wails/v2"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("violations = %q, want %q", got, want)
	}
	if got := g.violations(module+"/sync/file", []string{module + "/desktop/..."}); len(got) != 0 {
		t.Errorf("sync/file violations = %q, want none", got)
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, pkg string
		want         bool
	}{
		{module + "/sync/...", module + "/sync", true},
		{module + "/sync/...", module + "/sync/s3/miniotest", true},
		{module + "/sync/...", module + "/syncer", false},
		{module, module, true},
		{module, module + "/core", false},
		{"net/http/httptest", "net/http", false},
	} {
		if got := match(tc.pattern, tc.pkg); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.pattern, tc.pkg, got, tc.want)
		}
	}
}

// graph is the import graph of the module's packages and everything they
// depend on (test files left out: rules are about what ships).
type graph struct {
	roots   []string            // the module's own packages
	imports map[string][]string // package → its direct imports
}

func goList(t *testing.T) graph {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports,Module", module+"/...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	g := graph{imports: map[string][]string{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
			Module     *struct{ Path string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		g.imports[p.ImportPath] = p.Imports
		if p.Module != nil && p.Module.Path == module {
			g.roots = append(g.roots, p.ImportPath)
		}
	}
	if len(g.roots) == 0 {
		t.Fatal("go list found none of the module's packages")
	}
	return g
}

// violations returns the shortest import chain from root to every
// forbidden package it reaches, in a stable order; the walk stops at a
// forbidden package, so one bad import is reported once.
func (g graph) violations(root string, forbidden []string) [][]string {
	parent := map[string]string{root: ""}
	queue := []string{root}
	var found [][]string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p != root && slices.ContainsFunc(forbidden, func(f string) bool { return match(f, p) }) {
			var chain []string
			for q := p; q != ""; q = parent[q] {
				chain = append(chain, q)
			}
			slices.Reverse(chain)
			found = append(found, chain)
			continue // what it imports in turn is its own business
		}
		imps := slices.Clone(g.imports[p])
		slices.Sort(imps)
		for _, q := range imps {
			if _, seen := parent[q]; !seen {
				parent[q] = p
				queue = append(queue, q)
			}
		}
	}
	return found
}

// match reports whether pkg matches the Go package pattern.
func match(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}
