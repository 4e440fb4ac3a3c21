package cli

import (
	"context"
	"fmt"
	"io"
)

// version is the release this binary was built from: the main package
// passes the one stamped at build time from `git describe`
// (-ldflags "-X main.version=..."); plain builds say "dev".
var version = "dev"

func init() {
	register(command{
		name:    "version",
		summary: "print the version (also --version)",
		run: func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			_, err := fmt.Fprintln(stdout, "loupe "+version)
			return err
		},
	})
}
