package desktop

import "strings"

// Startup tells the window's UI which view to open first (`loupe open
// --view '#/sessions/ID?t=MS'`), so a link can open the window at a moment.
// Browser mode has no use for it: the address bar carries the view.
type Startup struct {
	view string
}

// NewStartup binds the first view; anything but a "#/" address is ignored.
func NewStartup(view string) *Startup {
	if !strings.HasPrefix(view, "#/") {
		view = ""
	}
	return &Startup{view: view}
}

// View returns the view address to open first, or "".
func (s *Startup) View() (string, error) { return s.view, nil }
