package desktop

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/loupe-dev/loupe/core/workspace"
)

// notificationServer plays the desktop's notification daemon on a real
// private bus and records what it is asked to show.
type notificationServer struct {
	mu    sync.Mutex
	shown []string
	caps  []string
}

// GetCapabilities has the signature of org.freedesktop.Notifications.GetCapabilities.
func (s *notificationServer) GetCapabilities() ([]string, *dbus.Error) { return s.caps, nil }

// Notify has the signature of org.freedesktop.Notifications.Notify.
func (s *notificationServer) Notify(app string, replaces uint32, icon, summary, body string,
	actions []string, hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shown = append(s.shown, app+"|"+summary+"|"+body)
	return uint32(len(s.shown)), nil
}

// privateBus starts a dbus-daemon of its own and returns its address.
func privateBus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed")
	}
	sock := filepath.Join(t.TempDir(), "bus")
	cmd := exec.Command(bin, "--session", "--nofork", "--nopidfile", "--print-address=1", "--address=unix:path="+sock)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon address: %v", err)
	}
	return strings.TrimSpace(line)
}

func TestDesktopNotifierSendsOverDBus(t *testing.T) {
	addr := privateBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)

	// With no notification daemon on the bus: an error, nothing else.
	n := &DesktopNotifier{}
	defer n.Close()
	if err := n.Send("Loupe alert", "nobody listens"); err == nil {
		t.Error("Send with no notification daemon succeeded")
	}
	n.Notifier()(workspace.AlertEvent{Message: "dropped quietly"}) // must not panic

	daemon, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer daemon.Close()
	srv := &notificationServer{caps: []string{"body"}}
	if err := daemon.Export(srv, notifyPath, notifyService); err != nil {
		t.Fatal(err)
	}
	if reply, err := daemon.RequestName(notifyService, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request name: %v, %v", reply, err)
	}
	n.Notifier()(workspace.AlertEvent{Message: "Busy: sessions rose above 2 to 3 over the last 24h."})
	srv.mu.Lock()
	defer srv.mu.Unlock()
	want := "Loupe|Loupe alert|Busy: sessions rose above 2 to 3 over the last 24h."
	if len(srv.shown) != 1 || srv.shown[0] != want {
		t.Errorf("daemon showed %q, want [%q]", srv.shown, want)
	}

	// A daemon that reads bodies as markup gets recorded text escaped.
	srv.caps = []string{"body", "body-markup"}
	srv.mu.Unlock()
	n.Notifier()(workspace.AlertEvent{Message: `<a href="http://evil.example/">/cart</a> & <img src=x>`})
	srv.mu.Lock()
	want = `Loupe|Loupe alert|&lt;a href="http://evil.example/"&gt;/cart&lt;/a&gt; &amp; &lt;img src=x&gt;`
	if len(srv.shown) != 2 || srv.shown[1] != want {
		t.Errorf("daemon showed %q, want the second to be %q", srv.shown, want)
	}
}

func TestDesktopNotifierWithoutABus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
	n := &DesktopNotifier{}
	if err := n.Send("Loupe alert", "x"); err == nil {
		t.Error("Send without a bus succeeded")
	}
	if err := n.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
