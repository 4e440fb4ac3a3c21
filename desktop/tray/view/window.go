//go:build tray

package view

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/loupe-dev/loupe/desktop/synclock"
	"github.com/loupe-dev/loupe/desktop/tray"
	"github.com/loupe-dev/loupe/sync/source"
)

// statusWindow is the small window "Show status window" opens: the status
// line, the schedule, the last alerts, and a field to give a collector
// token when the keyring has none (or there is no keyring).
type statusWindow struct {
	c       *tray.Companion
	w       fyne.Window
	status  *widget.Label
	sched   *widget.Label
	keyring *widget.Label
	alerts  *widget.Label
	problem *widget.Label
}

func newStatusWindow(a fyne.App, c *tray.Companion) *statusWindow {
	s := &statusWindow{c: c, w: a.NewWindow("Loupe sync"),
		status: widget.NewLabel(""), sched: widget.NewLabel(""), keyring: widget.NewLabel(""),
		alerts: widget.NewLabel(""), problem: widget.NewLabel("")}
	s.status.TextStyle = fyne.TextStyle{Bold: true}
	s.keyring.Wrapping = fyne.TextWrapWord
	s.problem.Wrapping = fyne.TextWrapWord
	s.alerts.Wrapping = fyne.TextWrapWord

	addr := widget.NewEntry()
	addr.SetPlaceHolder("collector address, e.g. https://collect.example.com")
	if cs := c.Collectors(context.Background()); len(cs) > 0 {
		addr.SetText(cs[0]) // the usual case: one collector
	}
	token := widget.NewPasswordEntry()
	token.SetPlaceHolder("analyst token")
	save := widget.NewButton("Save token", func() {
		a := strings.TrimSpace(addr.Text)
		if a == "" || token.Text == "" {
			s.problem.SetText("Give the collector's address and its analyst token.")
			return
		}
		c.SetToken(source.Name(a), token.Text)
		token.SetText("")
		s.problem.SetText("")
		s.refresh()
	})
	syncNow := widget.NewButton("Sync now", func() {
		go func() {
			if _, err := c.SyncNow(context.Background()); err != nil && !quiet(err) {
				fyne.Do(func() { s.setError(err) })
			}
		}()
	})
	s.w.SetContent(container.NewPadded(container.NewVBox(
		s.status, s.sched, s.keyring, widget.NewSeparator(),
		widget.NewLabel("Last alerts"), s.alerts, widget.NewSeparator(),
		addr, token, container.NewHBox(save, syncNow), s.problem,
	)))
	s.w.Resize(fyne.NewSize(460, 0))
	s.w.SetCloseIntercept(s.w.Hide) // closing the window leaves the tray running
	s.refresh()
	return s
}

func (s *statusWindow) show() {
	s.refresh()
	s.w.Show()
	s.w.RequestFocus()
}

func (s *statusWindow) setError(err error) {
	s.problem.SetText(sentence(err.Error()))
}

// refresh runs on Fyne's thread.
func (s *statusWindow) refresh() {
	st := s.c.Status()
	now := time.Now()
	s.status.SetText(st.Text(now))
	s.sched.SetText(st.ScheduleText())
	s.keyring.SetText(st.KeyringNote)
	if !st.Syncing && st.Busy == "" && st.LastError == "" {
		s.problem.SetText("") // a sync that worked answers the last problem
	}
	var lines []string
	for _, e := range s.c.Alerts() {
		lines = append(lines, e.At.Local().Format("Jan 2 15:04")+"  "+e.Message)
	}
	if len(lines) == 0 {
		lines = []string{"None fired yet."}
	}
	s.alerts.SetText(strings.Join(lines, "\n"))
}

// quiet errors already show in the status line.
func quiet(err error) bool {
	return errors.Is(err, tray.ErrAlreadySyncing) || errors.Is(err, synclock.ErrBusy)
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
