package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/sync/source"
	"github.com/loupe-dev/loupe/tracker-server/collector"
)

// TestSyncFromRealCollector ingests tracker batches through the real
// collector handler, lets it seal them into its real file store, and syncs
// over its archive API.
func TestSyncFromRealCollector(t *testing.T) {
	ctx := context.Background()
	col, srv := startCollector(t, nil)

	wantClicks := map[string]int{}
	base := time.Now().Add(-time.Hour).UnixMilli()
	for i := 0; i < 3; i++ {
		sess := fmt.Sprintf("s_real%04d", i)
		wantClicks[sess] = i + 1
		for seq := 0; seq < 2; seq++ {
			var events []json.RawMessage
			ms := base + int64(i)*60_000 + int64(seq)*10_000
			if seq == 0 {
				events = append(events,
					json.RawMessage(fmt.Sprintf(`{"type":4,"data":{"href":"http://localhost:8080/","width":1280,"height":800},"timestamp":%d}`, ms)),
					json.RawMessage(fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"a","attributes":{"href":"/cart"},"childNodes":[]}]}]}]},"initialOffset":{"top":0,"left":0}},"timestamp":%d}`, ms+1)))
			} else {
				for c := 0; c < i+1; c++ {
					events = append(events, json.RawMessage(fmt.Sprintf(`{"type":3,"data":{"source":2,"type":2,"id":4,"x":%d,"y":20},"timestamp":%d}`, 10+c*300, ms+int64(c)*1500)))
				}
			}
			ingest(t, srv, "http://localhost:8080", collector.Batch{Site: "demo", Session: sess, Visitor: "v_visitor01", Seq: int64(seq),
				Tracker: "0.1.0", Events: events})
		}
	}
	closeCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := col.Close(closeCtx); err != nil {
		t.Fatalf("close collector (seals open sessions): %v", err)
	}

	db := openWorkspace(t)
	src, err := source.Open(ctx, srv.URL, "analyst-token")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Sync(ctx, src, db, Options{Source: source.Name(srv.URL), PageSize: 2})
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if rep.Imported != 3 || rep.Quarantined != 0 {
		t.Fatalf("report %+v, want 3 imported", rep)
	}
	for sess, want := range wantClicks {
		s, err := db.Session(ctx, sess)
		if err != nil {
			t.Fatalf("session %s: %v", sess, err)
		}
		if s.Clicks != want || s.Pageviews != 1 || s.Site != "demo" || s.Visitor != "v_visitor01" {
			t.Errorf("%s: clicks=%d pageviews=%d site=%q visitor=%q; want %d, 1, demo, v_visitor01",
				sess, s.Clicks, s.Pageviews, s.Site, s.Visitor, want)
		}
	}
	rep, err = Sync(ctx, src, db, Options{Source: source.Name(srv.URL)})
	if err != nil || rep.Imported != 0 {
		t.Errorf("second sync against the collector: %+v, %v; want nothing imported", rep, err)
	}
}
