package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/loupe-dev/loupe/desktop/tray"
)

// trayView is the tray Main was given (Host.Tray).
var trayView TrayView

// errNoTray explains how to get the tray when this binary has none.
var errNoTray = errors.New("this build has no tray; build with -tags tray (it needs cgo, and on Linux xorg-dev libxxf86vm-dev libgl1-mesa-dev)")

func init() {
	register(command{
		name:    "tray",
		summary: "run the tray companion: background sync, alerts as notifications",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			return runTray(ctx, args, stderr)
		},
	})
}

// runTray runs `loupe tray`: it syncs the workspace's saved sources on the
// saved schedule from the system tray until the analyst quits.
func runTray(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("tray", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	var from stringList
	fs.Var(&from, "from", "add a source to sync (a collector URL, s3:// address or folder; repeatable); kept in the workspace")
	token := fs.String("token", os.Getenv("LOUPE_TOKEN"), "analyst token for collectors without one in the keyring (default $LOUPE_TOKEN)")
	every := fs.Duration("every", 0, "save a new background sync interval, e.g. 15m (default: the saved one, 15m at first)")
	showStatus := fs.Bool("status", false, "open the status window at start")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe tray [--workspace F] [--from SOURCE ...] [--every 15m] [--status]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if trayView == nil {
		return errNoTray
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, addr := range from {
		if err := tray.AddSource(ctx, db, addr); err != nil {
			return err
		}
	}
	tokens := tray.NewTokens(tray.OSKeyring{}, *token)
	tokens.Probe()
	c, err := tray.New(ctx, tray.Config{DB: db, Tokens: tokens})
	if err != nil {
		return err
	}
	if *every != 0 {
		s := c.Schedule()
		s.Every = *every
		if err := c.SetSchedule(ctx, s); err != nil {
			return err
		}
	}
	wb := &workbench{workspace: db.Path(), stderr: stderr}
	exe, _ := os.Executable()
	actions := tray.Actions{
		OpenWorkbench: func() {
			if err := wb.open(); err != nil {
				fmt.Fprintf(stderr, "loupe tray: %v\n", err)
			}
		},
		Autostart: &tray.Autostart{Command: []string{exe, "tray", "--workspace", db.Path()}},
		OnError:   func(err error) { fmt.Fprintf(stderr, "loupe tray: %v\n", err) },
	}
	if note := tokens.Note(); note != "" {
		fmt.Fprintln(stderr, "loupe tray: "+note)
	}
	return trayView(ctx, c, actions, *showStatus)
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// workbench starts the workbench window for the tray, once: a second
// "Open workbench" while the window it started still runs starts no other.
type workbench struct {
	workspace string
	stderr    io.Writer
	running   chan struct{} // closed when the started window exits; nil: none
}

// open starts the window: this binary when it carries the window, else
// loupe-window beside it or on PATH.
func (w *workbench) open() error {
	if w.running != nil {
		select {
		case <-w.running:
		default:
			// Already open. Bringing another process's window to the front
			// is the window's own business (a single-instance lock in the
			// window build would do it); until then it stays where it is.
			return nil
		}
	}
	exe, err := windowBinary()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "open", "--workspace", w.workspace)
	cmd.Stdout, cmd.Stderr = w.stderr, w.stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open the workbench: %w", err)
	}
	done := make(chan struct{})
	w.running = done
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	return nil
}

func windowBinary() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("open the workbench: %w", err)
	}
	if window != nil {
		return self, nil
	}
	name := "loupe-window"
	if filepath.Ext(self) == ".exe" {
		name += ".exe"
	}
	beside := filepath.Join(filepath.Dir(self), name)
	if _, err := os.Stat(beside); err == nil {
		return beside, nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("open the workbench: this loupe has no window and no %s was found beside it or on PATH", name)
}
