package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromiumFlags are the launch flags that work on this project's machines
// (docs/testing.md), plus a proxy on a closed port and a resolver that finds
// nothing, so the page has no network at all.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
	"--host-resolver-rules=MAP * ~NOTFOUND",
	"--hide-scrollbars", "--virtual-time-budget=15000",
}

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run .ci/deps (apt package chromium)")
	return ""
}

func runChromium(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium(t), append(append([]string{}, chromiumFlags...), args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return string(out)
}

// TestReportRendersOfflineInChromium opens a report in headless Chromium
// with the network cut off, checks that every chart drew pixels on its
// canvas, and keeps a screenshot in artifacts/screenshots/report.png.
func TestReportRendersOfflineInChromium(t *testing.T) {
	facts := plantedFacts(2000)
	p, html := buildHTML(t, facts, nil, Options{Title: "Loupe demo shop"})
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + file

	dom := runChromium(t, "--dump-dom", url)
	m := regexp.MustCompile(`data-charts-drawn="(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the page's drawing script did not run (no data-charts-drawn); DOM starts %.300s", dom)
	}
	drawn, _ := strconv.Atoi(m[1])
	if drawn != p.ChartsN {
		t.Errorf("%d of %d charts drew on their canvas", drawn, p.ChartsN)
	}
	if n := strings.Count(dom, "<canvas"); n != p.ChartsN {
		t.Errorf("%d canvases in the DOM, want %d", n, p.ChartsN)
	}
	if strings.Contains(dom, `data-rendered="no"`) {
		t.Errorf("a chart stayed blank: %s", regexp.MustCompile(`id="[^"]+"[^>]*data-rendered="no"`).FindString(dom))
	}

	shot, err := filepath.Abs(filepath.Join("..", "..", "artifacts", "screenshots", "report.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(shot)
	runChromium(t, "--screenshot="+shot, "--window-size=1280,2600", url)
	info, err := os.Stat(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if info.Size() < 50_000 {
		t.Errorf("screenshot is only %d bytes: the page looks empty", info.Size())
	}
}
