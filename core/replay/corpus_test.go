package replay

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

func corpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("LOUPE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus", "rrweb-fixtures")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Fatalf("rrweb corpus not found at %s (set LOUPE_CORPUS): %v", dir, err)
	}
	return dir
}

func corpusEvents(t testing.TB, path string) []rrweb.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, err := rrweb.Decode(f)
	if err != nil {
		t.Skipf("%s: %v", filepath.Base(path), err)
	}
	return events
}

// rrweb's own recordings, prepared with nothing stored, keep no remote
// reference in any place a replay loads from; with their events intact.
func TestCorpusLeavesNothingRemote(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("empty corpus")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(t *testing.T) {
			events := corpusEvents(t, path)
			out := Prepare(events, NewResolver(nil, WorkbenchLink, nil))
			if len(out) != len(events) {
				t.Fatalf("%d events in, %d out", len(events), len(out))
			}
			for i, e := range out {
				if !json.Valid(e.Data) {
					t.Fatalf("event %d is not JSON after the rewrite", i)
				}
				if bad := remoteRefs(e); len(bad) > 0 {
					t.Errorf("event %d keeps remote references %q", i, bad)
				}
			}
		})
	}
}

func BenchmarkPrepare(b *testing.B) {
	events := corpusEvents(b, filepath.Join(corpusDir(b), "rrweb-player-public-events.json"))
	size := 0
	for _, e := range events {
		size += len(e.Data)
	}
	r := NewResolver(nil, WorkbenchLink, nil)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out := Prepare(events, r); len(out) != len(events) {
			b.Fatal("events lost")
		}
	}
}
