package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/replay/replaytest"
	"github.com/loupe-dev/loupe/sync/source"
	"github.com/loupe-dev/loupe/tracker-server/collector"
)

// TestSyncAssetsFromRealCollector: a page on a local site shows an image;
// the real collector fetches it while recording, keeps it with the sealed
// archive, and a sync brings the archive and the image's bytes into the
// workspace through GET /v1/assets/{sha256}.
func TestSyncAssetsFromRealCollector(t *testing.T) {
	ctx := context.Background()
	page, err := replaytest.New([]byte("font"))
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/logo.png" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(page.Logo)
	}))
	defer site.Close()

	col, srv := startCollector(t, nil)

	ms := time.Now().Add(-time.Hour).UnixMilli()
	events := []json.RawMessage{
		json.RawMessage(fmt.Sprintf(`{"type":4,"data":{"href":%q,"width":1280,"height":800},"timestamp":%d}`, site.URL+"/", ms)),
		json.RawMessage(fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"img","attributes":{"src":"/logo.png"},"childNodes":[]},{"type":2,"id":5,"tagName":"img","attributes":{"src":"/missing.png"},"childNodes":[]}]}]}]},"initialOffset":{"top":0,"left":0}},"timestamp":%d}`, ms+1)),
	}
	ingest(t, srv, site.URL, collector.Batch{Site: "demo", Session: "s_assetcol1", Visitor: "v_visitor01", Seq: 0, Tracker: "0.1.0", Events: events})
	closeCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := col.Close(closeCtx); err != nil {
		t.Fatalf("close collector (seals open sessions): %v", err)
	}

	db := openWorkspace(t)
	src, err := source.Open(ctx, srv.URL, "analyst-token")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Sync(ctx, src, db, Options{Source: source.Name(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.Assets.Fetched != 1 || rep.Assets.Bytes != int64(len(page.Logo)) {
		t.Fatalf("report: %d imported, assets %+v; want the logo's %d bytes", rep.Imported, rep.Assets, len(page.Logo))
	}
	refs, err := db.SessionAssets(ctx, "s_assetcol1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range refs {
		got[r.URL] = fmt.Sprintf("stored=%v %s", r.Stored, r.Missing)
	}
	if got[site.URL+"/logo.png"] != "stored=true " || got[site.URL+"/missing.png"] != "stored=false http 404" {
		t.Errorf("manifest in the workspace: %v", got)
	}
	a, err := db.OpenAsset(ctx, archive.SumAsset(page.Logo))
	if err != nil || a.Type != "image/png" {
		t.Errorf("stored logo: %+v, %v", a.Type, err)
	}
}
