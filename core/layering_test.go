package core_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports keeps core a plain domain (docs/design.md): the window,
// storage clients and the outer layers depend on core, never the reverse.
var forbiddenImports = []string{
	"github.com/wailsapp/",
	"github.com/minio/",
	"fyne.io/",
	"github.com/loupe-dev/loupe/desktop",
	"github.com/loupe-dev/loupe/sync",
	"github.com/loupe-dev/loupe/tracker-server",
	"net/http/httptest",
}

// serverSelectors are net/http names that only a server uses. An HTTP
// client (the optional local model) is allowed in core; serving is not.
var serverSelectors = map[string]bool{
	"Server": true, "ListenAndServe": true, "ListenAndServeTLS": true,
	"Serve": true, "ServeTLS": true, "Handle": true, "HandleFunc": true,
	"ServeMux": true, "NewServeMux": true, "FileServer": true,
}

func TestCoreLayering(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		httpName := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbiddenImports {
				if strings.HasPrefix(p, bad) {
					t.Errorf("%s imports %s: core must not depend on it", path, p)
				}
			}
			if p == "net/http" {
				httpName = "http"
				if imp.Name != nil {
					httpName = imp.Name.Name
				}
			}
		}
		if httpName == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == httpName && serverSelectors[sel.Sel.Name] {
				t.Errorf("%s: uses http.%s: core may be an HTTP client, never a server", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no core source files found: the walk is broken")
	}
}
