//go:build traycheck

package traycheck

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// watcher plays org.kde.StatusNotifierWatcher: it records the items that
// register, as a desktop's panel would.
type watcher struct {
	mu    sync.Mutex
	items []string // bus names of registered items
	added chan string
}

// RegisterStatusNotifierItem is called by a tray item; service is its
// object path (fyne.io/systray) or its bus name.
func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w.mu.Lock()
	w.items = append(w.items, string(sender))
	w.mu.Unlock()
	w.added <- string(sender)
	return nil
}

// RegisterStatusNotifierHost accepts a host (none here).
func (w *watcher) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// notification is one Notify call received.
type notification struct {
	App, Summary, Body string
}

// notifyDaemon plays org.freedesktop.Notifications.
type notifyDaemon struct {
	mu   sync.Mutex
	next uint32
	got  chan notification
}

// Notify receives one notification.
func (n *notifyDaemon) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.mu.Lock()
	n.next++
	id := n.next
	n.mu.Unlock()
	n.got <- notification{App: app, Summary: summary, Body: body}
	return id, nil
}

// GetCapabilities answers what a minimal daemon supports.
func (n *notifyDaemon) GetCapabilities() ([]string, *dbus.Error) { return []string{"body"}, nil }

// GetServerInformation names the daemon.
func (n *notifyDaemon) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "traycheck", "loupe", "1", "1.2", nil
}

// CloseNotification does nothing.
func (n *notifyDaemon) CloseNotification(id uint32) *dbus.Error { return nil }

// playDesktop takes the watcher's and the notification daemon's names on
// the session bus.
func playDesktop(t *testing.T) (*dbus.Conn, *watcher, *notifyDaemon) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("session bus (run under dbus-run-session): %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	w := &watcher{added: make(chan string, 4)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	n := &notifyDaemon{got: make(chan notification, 16)}
	if err := conn.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"org.kde.StatusNotifierWatcher", "org.freedesktop.Notifications"} {
		reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue)
		if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("own %s: %v (reply %d)", name, err, reply)
		}
	}
	return conn, w, n
}

// menuItem is one entry of a dbusmenu layout.
type menuItem struct {
	ID       int32
	Label    string
	Enabled  bool
	Children []menuItem
}

// layout reads the tray's whole menu through com.canonical.dbusmenu.
func layout(conn *dbus.Conn, item string) (menuItem, error) {
	obj := conn.Object(item, "/StatusNotifierMenu")
	var rev uint32
	var root []any
	call := obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return menuItem{}, call.Err
	}
	if err := call.Store(&rev, &root); err != nil {
		return menuItem{}, err
	}
	return decode(root)
}

func decode(v []any) (menuItem, error) {
	if len(v) != 3 {
		return menuItem{}, fmt.Errorf("menu node has %d fields", len(v))
	}
	id, _ := v[0].(int32)
	props, _ := v[1].(map[string]dbus.Variant)
	m := menuItem{ID: id, Enabled: true}
	if l, ok := props["label"]; ok {
		m.Label, _ = l.Value().(string)
	}
	if e, ok := props["enabled"]; ok {
		m.Enabled, _ = e.Value().(bool)
	}
	kids, _ := v[2].([]dbus.Variant)
	for _, k := range kids {
		node, ok := k.Value().([]any)
		if !ok {
			return menuItem{}, fmt.Errorf("menu child is %T", k.Value())
		}
		c, err := decode(node)
		if err != nil {
			return menuItem{}, err
		}
		m.Children = append(m.Children, c)
	}
	return m, nil
}

// find returns the first item whose label is label.
func (m menuItem) find(label string) (menuItem, bool) {
	if m.Label == label {
		return m, true
	}
	for _, c := range m.Children {
		if f, ok := c.find(label); ok {
			return f, true
		}
	}
	return menuItem{}, false
}

// labels lists the top-level labels, for failure messages.
func (m menuItem) labels() []string {
	var out []string
	for _, c := range m.Children {
		out = append(out, c.Label)
	}
	return out
}

// click sends the "clicked" event a panel sends when the analyst picks an
// item.
func click(conn *dbus.Conn, item string, id int32) error {
	return conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.Event", 0,
		id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err
}

// waitMenu polls the menu until ok holds for it (the tray redraws it after
// each change) or the deadline passes.
func waitMenu(t *testing.T, conn *dbus.Conn, item string, what string, ok func(menuItem) bool) menuItem {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last menuItem
	for time.Now().Before(deadline) {
		m, err := layout(conn, item)
		if err == nil {
			last = m
			if ok(m) {
				return m
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("menu never showed %s; last menu: %q", what, last.labels())
	return last
}

// clickLabel finds the item labelled label in the current menu and clicks it.
func clickLabel(t *testing.T, conn *dbus.Conn, item, label string) {
	t.Helper()
	m := waitMenu(t, conn, item, label, func(m menuItem) bool {
		f, ok := m.find(label)
		return ok && f.Enabled
	})
	f, _ := m.find(label)
	if err := click(conn, item, f.ID); err != nil {
		t.Fatalf("click %q: %v", label, err)
	}
}
