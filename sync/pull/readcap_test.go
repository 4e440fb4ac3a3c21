package pull

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/source"
)

// TestInflatedArchiveIsQuarantined syncs a small archive whose events
// inflate past the cap: it is quarantined with the reason, and the other
// archives import.
func TestInflatedArchiveIsQuarantined(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	keys := fill(t, st, 2)
	h := archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "shop", Session: "s_inflated",
		Visitor: "v_inflated", StartedAt: time.Unix(1, 0), EndedAt: time.Unix(2, 0), Pages: []string{"/"}}
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("a", 1<<20)
	for i := range 40 {
		w.Write(json.RawMessage(fmt.Sprintf(`{"type":3,"data":{"source":5,"text":"%s"},"timestamp":%d}`, big, 1000+i)))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	key := "2026/11/02/00009-s_inflated.loupe"
	if err := st.Put(ctx, key, bytes.NewReader(buf.Bytes()), int64(buf.Len()), sha(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	srv := fakeCollector(t, st, "tok")
	db := openWorkspace(t)
	src, _ := source.Open(ctx, srv.URL, "tok")
	rep, err := Sync(ctx, src, db, Options{Source: "c", MaxEventBytes: 16 << 20})
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if rep.Imported != len(keys) || rep.Quarantined != 1 {
		t.Fatalf("report %+v, want %d imported and 1 quarantined", rep, len(keys))
	}
	q, _ := db.QuarantinedArchives(ctx)
	if len(q) != 1 || !strings.Contains(q[0].Reason, "too large") {
		t.Fatalf("quarantine %+v, want the inflated archive with its reason", q)
	}
}
