package desktop

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"

	"github.com/loupe-dev/loupe/core/workspace"
)

// The freedesktop notification service every Linux desktop runs.
const (
	notifyService = "org.freedesktop.Notifications"
	notifyPath    = "/org/freedesktop/Notifications"
	notifyMethod  = notifyService + ".Notify"
)

// DesktopNotifier sends desktop notifications over the session D-Bus, the
// same service Wails itself talks to. It connects on first use and keeps
// the connection; with no session bus or no notification daemon (a bare
// Xvfb) Send returns an error and nothing else happens.
type DesktopNotifier struct {
	mu   sync.Mutex
	conn *dbus.Conn
}

// Send shows one notification.
func (n *DesktopNotifier) Send(summary, body string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil || !n.conn.Connected() {
		conn, err := dbus.ConnectSessionBus()
		if err != nil {
			return fmt.Errorf("desktop notification: %w", err)
		}
		n.conn = conn
	}
	obj := n.conn.Object(notifyService, notifyPath)
	if markupBody(obj) {
		body = markupEscaper.Replace(body)
	}
	call := obj.Call(notifyMethod, 0, "Loupe", uint32(0), "", summary, body,
		[]string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("desktop notification: %w", call.Err)
	}
	return nil
}

// markupEscaper keeps text as text in a notification body that is read
// as markup: alert messages carry rule names and recorded page paths, and
// a daemon with body markup would show <a href> and <img> in them.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// markupBody reports whether the daemon reads bodies as markup. A daemon
// that cannot say is assumed to, since escaping is then the safe side.
func markupBody(obj dbus.BusObject) bool {
	var caps []string
	if err := obj.Call(notifyService+".GetCapabilities", 0).Store(&caps); err != nil {
		return true
	}
	return slices.Contains(caps, "body-markup")
}

// Close drops the bus connection.
func (n *DesktopNotifier) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		return nil
	}
	err := n.conn.Close()
	n.conn = nil
	return err
}

// Notifier adapts Send to alert events. Delivery is best-effort: a
// desktop without a notification daemon still has the in-app notice, so
// the error is dropped.
func (n *DesktopNotifier) Notifier() Notifier {
	return func(e workspace.AlertEvent) {
		_ = n.Send("Loupe alert", e.Message)
	}
}
