package cli

import (
	"context"

	"github.com/loupe-dev/loupe/core/workspace"
)

// openCLIWorkspace opens the workspace named by --workspace, or the
// default one.
func openCLIWorkspace(ctx context.Context, path string) (*workspace.DB, error) {
	if path == "" {
		p, err := workspace.DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	return workspace.Open(ctx, path)
}
