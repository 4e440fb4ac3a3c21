//go:build traycheck

package traycheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop/synclock"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/tracker-server/collector"
)

const token = "traycheck-analyst-token"

// The tray registers its item with the desktop's watcher; "Sync now",
// clicked through the item's menu, is refused while the workbench holds
// the sync lock and says so in the menu; once the lock is free it imports
// the session a real collector sealed, the alert rule over it fires and
// its notification reaches the notification daemon; the menu shows the
// sync and the alert; "Quit" ends the tray.
func TestTrayOnTheDesktop(t *testing.T) {
	bin := os.Getenv("LOUPE_TRAY_BIN")
	if bin == "" || os.Getenv("DISPLAY") == "" {
		t.Fatal("run through desktop/tray/traycheck.sh: it needs LOUPE_TRAY_BIN (loupe built with -tags tray), DISPLAY and a session bus")
	}
	conn, watch, notify := playDesktop(t)
	ctx := context.Background()

	// A real collector on loopback, with one session ingested and sealed.
	store, err := file.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	col, err := collector.New(collector.Config{DataDir: t.TempDir(), Store: store, Token: token,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(col.Handler())
	defer srv.Close()
	ingest(t, srv.URL, "s_traycheck01")
	closeCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := col.Close(closeCtx); err != nil {
		t.Fatalf("seal the session: %v", err)
	}

	// A workspace with an alert rule that fires on the first session; the
	// background schedule is paused so only the click syncs.
	ws := filepath.Join(t.TempDir(), "work.db")
	db, err := workspace.Open(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alert.Save(ctx, db, alert.Rule{Name: "first visitor", Metric: alert.Sessions, Condition: alert.Above,
		Threshold: 0, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, "tray.schedule", map[string]any{"every_ns": int64(time.Hour), "paused": true}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	home := t.TempDir() // autostart entries and Fyne's preferences land here
	cmd := exec.Command(bin, "tray", "--workspace", ws, "--from", srv.URL, "--status")
	cmd.Env = append(os.Environ(), "LOUPE_TOKEN="+token, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	// A file, not a pipe: the workbench the tray starts inherits it and
	// outlives the tray, and Wait would wait for a pipe to close.
	stderr := &logFile{path: filepath.Join(t.TempDir(), "tray.log")}
	f, err := os.Create(stderr.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd.Stderr = f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("tray stderr:\n%s", stderr.String())
		}
	}()

	var item string
	select {
	case item = <-watch.added:
	case err := <-exited:
		t.Fatalf("tray exited before registering: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("no StatusNotifierItem registered within 60 s\n%s", stderr.String())
	}
	t.Logf("tray item registered as %s", item)

	m := waitMenu(t, conn, item, "its status line", func(m menuItem) bool {
		_, ok := m.find("Sync now")
		return ok && len(m.Children) > 0 && m.Children[0].Label == "Not synced yet"
	})
	for _, want := range []string{"Background sync paused", "Resume background sync", "Open workbench",
		"Show status window", "Start at login", "No alerts fired", "Quit"} {
		if _, ok := m.find(want); !ok {
			t.Errorf("menu lacks %q: %q", want, m.labels())
		}
	}
	if _, ok := m.find("No keyring: token kept in memory only"); !ok {
		t.Errorf("with no Secret Service on the bus the menu should say the token is kept in memory: %q", m.labels())
	}

	// The workbench is syncing: the tray says so instead of failing.
	lock, err := synclock.TryAcquire(ws, "workbench")
	if err != nil {
		t.Fatal(err)
	}
	clickLabel(t, conn, item, "Sync now")
	waitMenu(t, conn, item, "that the workbench is syncing", func(m menuItem) bool {
		return len(m.Children) > 0 && m.Children[0].Label == "Sync already running in the workbench"
	})
	lock.Release()

	clickLabel(t, conn, item, "Sync now")
	select {
	case n := <-notify.got:
		if !strings.Contains(n.Body, "first visitor") {
			t.Errorf("notification %+v does not name the rule", n)
		}
		t.Logf("notification: %+v", n)
	case <-time.After(60 * time.Second):
		t.Fatalf("no notification within 60 s\n%s", stderr.String())
	}
	m = waitMenu(t, conn, item, "the sync and the alert", func(m menuItem) bool {
		return len(m.Children) > 0 && m.Children[0].Label == "Last synced just now, 1 new session"
	})
	alertLine := false
	for _, c := range m.Children {
		alertLine = alertLine || strings.Contains(c.Label, "first visitor")
	}
	if !alertLine {
		t.Errorf("the menu lists no fired alert: %q", m.labels())
	}

	db, err = workspace.Open(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Session(ctx, "s_traycheck01"); err != nil {
		t.Errorf("the synced session is not in the workspace: %v", err)
	}
	raw, _ := json.Marshal(readSettings(t, db))
	if bytes.Contains(raw, []byte(token)) {
		t.Errorf("the collector token was written into the workspace settings")
	}
	db.Close()

	// "Start at login" writes the XDG autostart entry.
	clickLabel(t, conn, item, "Start at login")
	entry := filepath.Join(home, ".config", "autostart", "loupe-tray.desktop")
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(entry)
		if err == nil {
			if !strings.Contains(string(b), " tray --workspace "+ws) {
				t.Errorf("autostart entry does not start the tray on this workspace:\n%s", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no autostart entry: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The status window is open (--status): the script takes its picture.
	if shot := os.Getenv("LOUPE_TRAY_SHOT"); shot != "" {
		time.Sleep(time.Second) // let the window finish its first paint
		if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
			t.Errorf("screenshot: %v %s", err, out)
		}
	}

	// A binary that carries the window opens it once, however often
	// "Open workbench" is clicked while it runs.
	if os.Getenv("LOUPE_TRAY_WINDOW") == "1" {
		// The window outlives the tray (quitting the tray leaves it open),
		// so the test closes it, also when it fails halfway.
		t.Cleanup(func() {
			for _, pid := range workbenches(ws) {
				if p, err := os.FindProcess(pid); err == nil {
					p.Kill()
				}
			}
		})
		clickLabel(t, conn, item, "Open workbench")
		clickLabel(t, conn, item, "Open workbench")
		deadline := time.Now().Add(30 * time.Second)
		var pids []int
		for time.Now().Before(deadline) {
			if pids = workbenches(ws); len(pids) > 0 {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(2 * time.Second) // a second window, if wrongly started, would show by now
		pids = workbenches(ws)
		if len(pids) != 1 {
			t.Errorf("%d workbench windows running after two clicks, want 1", len(pids))
		}
		if shot := os.Getenv("LOUPE_TRAY_WINDOW_SHOT"); shot != "" {
			time.Sleep(3 * time.Second) // WebKit's first paint
			exec.Command("import", "-window", "root", shot).Run()
		}
	}

	clickLabel(t, conn, item, "Quit")
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("tray exited with %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("tray did not quit")
	}
}

// logFile is the tray's stderr, read back for failure messages.
type logFile struct{ path string }

func (l *logFile) String() string {
	b, _ := os.ReadFile(l.path)
	return string(b)
}

// workbenches lists the processes running `loupe open --workspace ws`.
func workbenches(ws string) []int {
	var pids []int
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		if strings.Contains(string(b), "\x00open\x00--workspace\x00"+ws+"\x00") {
			var pid int
			fmt.Sscan(filepath.Base(filepath.Dir(d)), &pid)
			pids = append(pids, pid)
		}
	}
	return pids
}

// ingest posts one tracker batch: a page view and a click, ten minutes ago.
func ingest(t *testing.T, base, session string) {
	t.Helper()
	ms := time.Now().Add(-10 * time.Minute).UnixMilli()
	events := []json.RawMessage{
		json.RawMessage(fmt.Sprintf(`{"type":4,"data":{"href":"http://localhost:8080/","width":1280,"height":800},"timestamp":%d}`, ms)),
		json.RawMessage(fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[]}]}]},"initialOffset":{"top":0,"left":0}},"timestamp":%d}`, ms+1)),
		json.RawMessage(fmt.Sprintf(`{"type":3,"data":{"source":2,"type":2,"id":3,"x":10,"y":20},"timestamp":%d}`, ms+1500)),
	}
	body, _ := json.Marshal(collector.Batch{Site: "demo", Session: session, Visitor: "v_traycheck01", Seq: 0,
		Tracker: "0.1.0", Events: events})
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/ingest", bytes.NewReader(body))
	req.Header.Set("Origin", "http://localhost:8080")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ingest: %d %s", resp.StatusCode, msg)
	}
}

// readSettings returns every workspace setting as raw JSON text.
func readSettings(t *testing.T, db *workspace.DB) map[string]string {
	t.Helper()
	rows, err := db.DB().Query(`SELECT key, value FROM settings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}
