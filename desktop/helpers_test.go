package desktop

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
)

// fixtures are recorded rrweb streams under testdata/: two of rrweb's own
// test recordings and a hostile one that tries to run script on replay.
var fixtures = []string{"scroll", "input", "hostile"}

// newWorkspace opens a real SQLite workspace in a temp dir and imports the
// fixtures as sessions named after their files.
func newWorkspace(t *testing.T) *workspace.DB {
	t.Helper()
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatalf("open workspace: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	for _, name := range fixtures {
		events := readFixture(t, name)
		h := archive.Header{
			Format: archive.FormatName, Version: archive.Version, Site: "fixtures", Session: name,
			Visitor: "v_" + name, StartedAt: time.UnixMilli(events[0].Timestamp).UTC(),
			EndedAt: time.UnixMilli(events[len(events)-1].Timestamp).UTC(), Source: "rrweb-import",
		}
		if _, err := db.Import(ctx, h, events, nil, name+".json", ""); err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
	}
	return db
}

func readFixture(t *testing.T, name string) []rrweb.Event {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	var events []rrweb.Event
	if err := json.Unmarshal(b, &events); err != nil {
		t.Fatalf("decode fixture %s: %v", name, err)
	}
	return events
}

// hostileMarker is what the hostile fixture's payloads would execute.
const hostileMarker = "__loupe_pwned"

func containsAny(s string, subs ...string) string {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return x
		}
	}
	return ""
}
