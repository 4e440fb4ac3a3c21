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

// Recent lists the workspaces opened recently, this one first. Listing
// writes nothing: the list is recorded when the switcher opens another
// workspace (both it and this one).
func (w *Workspaces) Recent() ([]RecentWorkspace, error) {
	stored, err := readRecent()
	if err != nil {
		return nil, fail(err, "list recent workspaces")
	}
	list := []RecentWorkspace{{Path: w.db.Path(), Current: true}}
	for _, r := range stored {
		if r.Path == w.db.Path() {
			list[0].Opened = r.Opened
			continue
		}
		_, serr := os.Stat(r.Path)
		list = append(list, RecentWorkspace{Path: r.Path, Opened: r.Opened, Missing: errors.Is(serr, os.ErrNotExist)})
	}
	return list, nil
}

// storedRecent is one entry of the recent list as kept on disk.
type storedRecent struct {
	Path   string    `json:"path"`
	Opened time.Time `json:"opened"`
}

// readRecent reads the recent list; a missing or damaged file is an empty
// list (the list is a convenience).
func readRecent() ([]storedRecent, error) {
	file, err := recentFile()
	if err != nil {
		return nil, err
	}
	var list []storedRecent
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal(b, &list)
	return list, nil
}

// remember puts path first in the recent list.
func remember(path string) error {
	file, err := recentFile()
	if err != nil {
		return err
	}
	list, err := readRecent()
	if err != nil {
		return err
	}
	keep := []storedRecent{{Path: path, Opened: time.Now().UTC()}}
	for _, r := range list {
		if r.Path != path && r.Path != "" && len(keep) < maxRecent {
			keep = append(keep, r)
		}
	}
	b, err := json.MarshalIndent(keep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(file, b, 0o600)
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
	if err := remember(abs); err != nil {
		return OpenedWorkspace{}, fail(err, "open workspace")
	}
	// Then this one, so it stays first here: it is still open.
	if err := remember(w.db.Path()); err != nil {
		return OpenedWorkspace{}, fail(err, "open workspace")
	}
	return OpenedWorkspace{Path: abs, URL: url}, nil
}
