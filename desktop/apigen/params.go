package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// paramNames reads "Struct.Method" → parameter names from the Go files in
// dir (tests excluded): reflection knows parameter types, not names.
func paramNames(dir string) (map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("read parameter names: %w", err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			id, ok := recv.(*ast.Ident)
			if !ok {
				continue
			}
			var names []string
			for _, p := range fn.Type.Params.List {
				if len(p.Names) == 0 {
					names = append(names, "")
				}
				for _, n := range p.Names {
					names = append(names, n.Name)
				}
			}
			out[id.Name+"."+fn.Name.Name] = names
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read parameter names: no methods in %s", dir)
	}
	return out, nil
}
