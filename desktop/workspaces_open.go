package desktop

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"time"
)

// OpenInNewWindow opens a workspace in a new window: this program again,
// `loupe open --workspace PATH`, as its own process that lives until its
// window closes.
func OpenInNewWindow(_ context.Context, path string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(exe, "open", "--workspace", path)
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start a window: %w", err)
	}
	go cmd.Wait() // reap it when its window closes
	return "", nil
}

// printedAddress is how `loupe serve` announces its address.
var printedAddress = regexp.MustCompile(`Loupe workbench: (http://\S+)`)

// serveStart bounds how long a new server may take to print its address.
const serveStart = 30 * time.Second

// OpenInNewServer opens a workspace in browser mode: `loupe serve
// --workspace PATH` on a free loopback port, returning the address with
// its launch key. The server stops (SIGTERM) when ctx ends, that is when
// this server stops.
func OpenInNewServer(ctx context.Context, path string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, exe, "serve", "--workspace", path, "--addr", "127.0.0.1:0")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start a server: %w", err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() { // keeps draining so the server never blocks on output
			if m := printedAddress.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
		cmd.Wait()
	}()
	select {
	case url, ok := <-found:
		if !ok {
			return "", fmt.Errorf("the server for %s stopped before it printed its address", path)
		}
		return url, nil
	case <-time.After(serveStart):
		cmd.Process.Signal(syscall.SIGTERM)
		return "", fmt.Errorf("the server for %s printed no address within %s", path, serveStart)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
