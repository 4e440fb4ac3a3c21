package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
)

// runCLI runs one loupe command line in-process.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestImportSessionsExportSync(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "w.db")
	rec := filepath.Join(dir, "visit-one.json")
	os.WriteFile(rec, []byte(`[
		{"type":4,"data":{"href":"https://shop.test/products?x=1","width":390,"height":844},"timestamp":1700000000000},
		{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"button","attributes":{"id":"buy"},"childNodes":[]}]}]}]},"initialOffset":{"top":0,"left":0}},"timestamp":1700000000010},
		{"type":3,"data":{"source":2,"type":2,"id":4,"x":10,"y":10},"timestamp":1700000001000},
		{"type":4,"data":{"href":"https://shop.test/cart","width":390,"height":844},"timestamp":1700000005000}
	]`), 0o644)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"not":"events"}`), 0o644)

	out, _, err := runCLI(t, "import", "--workspace", ws, rec)
	if err != nil || !strings.Contains(out, "1 imported") {
		t.Fatalf("import: %q, %v", out, err)
	}
	_, errOut, err := runCLI(t, "import", bad, "--workspace", ws)
	if err == nil || !strings.Contains(errOut, "bad.json") {
		t.Errorf("import of a bad file: err %v, stderr %q; want an error naming the file", err, errOut)
	}

	out, _, err = runCLI(t, "sessions", "--workspace", ws, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var sessions []core.Session
	if err := json.Unmarshal([]byte(out), &sessions); err != nil {
		t.Fatalf("sessions --json is not an array of sessions: %v\n%s", err, out)
	}
	if len(sessions) != 1 {
		t.Fatalf("got %d sessions, want 1", len(sessions))
	}
	s := sessions[0]
	if s.ID != "visit-one" || s.Pageviews != 2 || s.Clicks != 1 || strings.Join(s.Pages, ",") != "/products,/cart" ||
		s.URLs[0] != "https://shop.test/products?x=1" || s.DurationMS != 5000 {
		t.Errorf("session = %+v", s)
	}
	var fields map[string]any
	json.Unmarshal([]byte(strings.TrimSpace(out))[1:len(strings.TrimSpace(out))-1], &fields)
	for _, k := range []string{"id", "site", "visitor", "started_at", "duration_ms", "pages", "urls", "pageviews", "clicks",
		"rage_clicks", "dead_clicks", "error_clicks", "js_errors", "failed_requests", "max_scroll_pct", "tags", "viewport",
		"device", "browser", "os", "country", "events"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("sessions --json lacks %q", k)
		}
	}

	out, _, err = runCLI(t, "sessions", "--workspace", ws, "--json", "--segment", `visited "/cart"`)
	if err != nil || !strings.Contains(out, "visit-one") {
		t.Errorf("sessions --segment: %q, %v", out, err)
	}
	out, _, err = runCLI(t, "sessions", "--workspace", ws, "--json", "--page", "/nowhere*")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("an empty list should print []: %q, %v", out, err)
	}
	if _, _, err := runCLI(t, "sessions", "--workspace", ws, "--segment", "device = "); err == nil {
		t.Error("a broken segment was accepted")
	}

	arch := filepath.Join(dir, "out", "visit-one.loupe")
	os.MkdirAll(filepath.Dir(arch), 0o755)
	if _, _, err := runCLI(t, "export", "--workspace", ws, "--session", "visit-one", "--out", arch); err != nil {
		t.Fatalf("export: %v", err)
	}
	if _, _, err := runCLI(t, "export", "--workspace", ws, "--session", "nope", "--out", arch+"2"); err == nil {
		t.Error("export of a missing session succeeded")
	}
	// The exported archive syncs from a folder into a fresh workspace
	// with the same facts.
	ws2 := filepath.Join(dir, "w2.db")
	out, _, err = runCLI(t, "sync", "--workspace", ws2, "--from", filepath.Dir(arch))
	if err != nil || !strings.Contains(out, "1 imported") {
		t.Fatalf("sync from folder: %q, %v", out, err)
	}
	out, _, _ = runCLI(t, "sessions", "--workspace", ws2, "--json")
	var again []core.Session
	json.Unmarshal([]byte(out), &again)
	if len(again) != 1 || again[0].Clicks != 1 || again[0].Pageviews != 2 || again[0].Events != 4 {
		t.Errorf("re-imported export = %+v, want the same session", again)
	}
	if _, _, err := runCLI(t, "sync", "--workspace", ws2); err == nil {
		t.Error("sync without --from succeeded")
	}
}
