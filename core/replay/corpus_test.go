package replay

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb/rrwebtest"
)

// rrweb's own recordings, prepared with nothing stored, keep no remote
// reference in any place a replay loads from; with their events intact.
func TestCorpusLeavesNothingRemote(t *testing.T) {
	dir := rrwebtest.CorpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("empty corpus")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(t *testing.T) {
			events := rrwebtest.Events(t, path)
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
	events := rrwebtest.Events(b, filepath.Join(rrwebtest.CorpusDir(b), "rrweb-player-public-events.json"))
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
