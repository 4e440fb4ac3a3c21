// Command apigen writes the workbench's TypeScript view of the Go
// bindings: one interface per JSON shape the bindings send or take, and
// one typed wrapper per bound method, so the UI cannot drift from Go.
//
//	go generate ./desktop/apigen    (or: make api)
//
// Types come from reflection over the binding structs' methods, walking
// json tags the way encoding/json does; parameter names come from the
// desktop package's source, which reflection cannot see.
package main

//go:generate go run . -o ../../assets/workbench/src/api.gen.ts

import (
	"flag"
	"fmt"
	"os"

	"github.com/loupe-dev/loupe/desktop"
)

// bound is every binding the UI can call: those both front ends serve,
// and the window's Startup.
func bound() []any { return append(desktop.Bindings(nil), desktop.NewStartup("")) }

func main() {
	out := flag.String("o", "", "file to write (default: standard output)")
	src := flag.String("src", "..", "folder of the desktop package's source, for parameter names")
	flag.Parse()
	ts, err := generate(bound(), *src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
	if *out == "" {
		os.Stdout.Write(ts)
		return
	}
	if err := os.WriteFile(*out, ts, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}
