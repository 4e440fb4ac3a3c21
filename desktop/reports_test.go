package desktop

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// urlRef finds a src or href to another host, capturing the host.
var urlRef = regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?(?:https?:)?//([^/"'\s>:]+)`)

// offMachine returns the first src or href to a host other than this one.
func offMachine(html string) string {
	for _, m := range urlRef.FindAllStringSubmatch(html, -1) {
		if m[1] != "127.0.0.1" && m[1] != "localhost" {
			return m[0]
		}
	}
	return ""
}

func TestReportsBuildSelfContained(t *testing.T) {
	r := NewReports(generatedWorkspace(t, 60))
	f, err := r.Build(ReportRequest{Title: "Client review", LinkBase: "http://127.0.0.1:18520/"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Bytes < 10_000 || f.Bytes != len(f.HTML) || !strings.HasPrefix(strings.TrimSpace(strings.ToLower(f.HTML)), "<!doctype html") {
		t.Fatalf("report of %d bytes (%d of HTML) starting %.40q", f.Bytes, len(f.HTML), f.HTML)
	}
	if !strings.Contains(f.HTML, "Client review") {
		t.Error("report lacks its title")
	}
	if !strings.Contains(f.HTML, `href="http://127.0.0.1:18520/#/sessions/`) {
		t.Error("report's moments do not link to browser mode")
	}
	if m := offMachine(f.HTML); m != "" {
		t.Errorf("report refers off the machine: %q", m)
	}
	if !strings.HasSuffix(f.Name, ".html") || f.Path != "" {
		t.Errorf("name %q path %q", f.Name, f.Path)
	}
	if _, err := r.Build(ReportRequest{Segment: "device = = ("}); codeOfErr(err) != CodeInvalid {
		t.Errorf("bad segment = %v, want invalid", err)
	}
	if _, err := r.Build(ReportRequest{Days: -1}); codeOfErr(err) != CodeInvalid {
		t.Errorf("negative days = %v, want invalid", err)
	}
}

// The window saves into Downloads and says where, never over an earlier
// report.
func TestReportsSaveToDownloads(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DOWNLOAD_DIR", "")
	r := NewReports(generatedWorkspace(t, 30))
	first, err := r.SaveToDownloads(ReportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.SaveToDownloads(ReportRequest{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(home, "Downloads")
	for _, f := range []ReportFile{first, second} {
		if filepath.Dir(f.Path) != dir || f.HTML != "" {
			t.Errorf("saved at %q (HTML sent: %d bytes), want in %s", f.Path, len(f.HTML), dir)
		}
		b, err := os.ReadFile(f.Path)
		if err != nil || len(b) != f.Bytes || f.Bytes == 0 {
			t.Errorf("file %s: %d bytes, %v; want %d", f.Path, len(b), err, f.Bytes)
		}
	}
	if first.Path == second.Path {
		t.Errorf("second report replaced the first at %s", first.Path)
	}
}
