package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Workspaces is the workspace switcher: the workspaces opened recently and
// opening another one. The other workspace opens in a new window (or, in
// browser mode, a new server and tab) rather than in place: every binding
// holds the open workspace, and a sync or re-derive may be running on it,
// so swapping the file under them would need every binding to stop and
// reopen.
type Workspaces struct {
	scope
	db   *workspace.DB
	open OpenWorkspaceFunc
}

// OpenWorkspaceFunc opens the workspace file at path in a new window or
// server and returns the address to open in the browser ("" for a
// window). The process serving it ends with ctx.
type OpenWorkspaceFunc func(ctx context.Context, path string) (string, error)

// NewWorkspaces binds the switcher; open is how this app opens another
// workspace (nil: it cannot).
func NewWorkspaces(db *workspace.DB, open OpenWorkspaceFunc) *Workspaces {
	return &Workspaces{scope: unscoped(), db: db, open: open}
}

// RecentWorkspace is a workspace file opened before.
type RecentWorkspace struct {
	Path    string    `json:"path"`
	Opened  time.Time `json:"opened"`
	Current bool      `json:"current"`
	Missing bool      `json:"missing"` // the file is gone
}

// maxRecent bounds the list.
const maxRecent = 12

// recentFile is where the list lives: in the user's config folder, since it
// spans workspaces.
func recentFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "loupe", "recent-workspaces.json"), nil
}

// Recent lists the workspaces opened recently, this one first (recording
// it).
func (w *Workspaces) Recent() ([]RecentWorkspace, error) {
	list, err := remember(w.db.Path())
	if err != nil {
		return nil, fail(err, "list recent workspaces")
	}
	for i := range list {
		list[i].Current = list[i].Path == w.db.Path()
		_, serr := os.Stat(list[i].Path)
		list[i].Missing = errors.Is(serr, os.ErrNotExist)
	}
	return list, nil
}

// remember puts path first in the recent list and returns the list.
func remember(path string) ([]RecentWorkspace, error) {
	file, err := recentFile()
	if err != nil {
		return nil, err
	}
	// Only the path and when it was opened are stored; the rest is
	// worked out when listed.
	type stored struct {
		Path   string    `json:"path"`
		Opened time.Time `json:"opened"`
	}
	var list []stored
	if b, err := os.ReadFile(file); err == nil {
		// A damaged list is started afresh: it is a convenience.
		_ = json.Unmarshal(b, &list)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	keep := []stored{{Path: path, Opened: time.Now().UTC()}}
	for _, r := range list {
		if r.Path != path && r.Path != "" && len(keep) < maxRecent {
			keep = append(keep, r)
		}
	}
	out := make([]RecentWorkspace, len(keep))
	for i, r := range keep {
		out[i] = RecentWorkspace{Path: r.Path, Opened: r.Opened}
	}
	b, err := json.MarshalIndent(keep, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, err
	}
	return out, atomicfile.WriteFile(file, b, 0o600)
}

// OpenedWorkspace says where another workspace opened.
type OpenedWorkspace struct {
	Path string `json:"path"`
	// URL is the address to open in a new browser tab (browser mode); ""
	// when it opened in a new window.
	URL string `json:"url"`
}

// Open opens the workspace file at path (created if new) in a new window,
// or in browser mode a new server whose address the UI opens in a new tab;
// that server stops when this one does.
func (w *Workspaces) Open(path string) (OpenedWorkspace, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return OpenedWorkspace{}, fail(fmt.Errorf("give a workspace file: %w", ErrInvalid), "open workspace")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return OpenedWorkspace{}, fail(err, "open workspace")
	}
	if abs == w.db.Path() {
		return OpenedWorkspace{}, fail(fmt.Errorf("%s is the workspace open here: %w", abs, ErrConflict), "open workspace")
	}
	if w.open == nil {
		return OpenedWorkspace{}, fail(fmt.Errorf("this app cannot open another workspace: %w", ErrInvalid), "open workspace")
	}
	url, err := w.open(w.life.Context(), abs)
	if err != nil {
		return OpenedWorkspace{}, fail(err, "open workspace")
	}
	if _, err := remember(abs); err != nil {
		return OpenedWorkspace{}, fail(err, "open workspace")
	}
	// Keep this workspace first: it is still the one open here.
	_, _ = remember(w.db.Path())
	return OpenedWorkspace{Path: abs, URL: url}, nil
}
