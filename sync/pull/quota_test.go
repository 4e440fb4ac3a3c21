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

// TestSyncRecordsSiteQuotas syncs from a real collector whose site is past
// its warning threshold and finds the quota state in the workspace.
func TestSyncRecordsSiteQuotas(t *testing.T) {
	ctx := context.Background()
	col, srv := startCollector(t, map[string]collector.SiteQuota{"demo": {MonthlySessions: 10}})
	defer col.Close(ctx)
	for i := 0; i < 8; i++ {
		ev := json.RawMessage(fmt.Sprintf(`{"type":4,"data":{"href":"http://localhost:8080/","width":1280,"height":800},"timestamp":%d}`, time.Now().UnixMilli()))
		ingest(t, srv, "http://localhost:8080", collector.Batch{Site: "demo", Session: fmt.Sprintf("s_quota%04d", i), Visitor: "v_visitor01",
			Tracker: "0.1.0", Events: []json.RawMessage{ev}})
	}

	db := openWorkspace(t)
	src, err := source.Open(ctx, srv.URL, "analyst-token")
	if err != nil {
		t.Fatal(err)
	}
	name := source.Name(srv.URL)
	rep, err := Sync(ctx, src, db, Options{Source: name})
	if err != nil || rep.QuotaError != "" {
		t.Fatalf("sync: %v, quota error %q", err, rep.QuotaError)
	}
	got, err := db.SiteQuotas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("site quotas %+v, want one for demo", got)
	}
	q := got[0]
	if q.Source != name || q.Site != "demo" || q.Sessions != 8 || q.Limit != 10 || !q.Warned || q.Limited || q.WarnAt != 0.8 {
		t.Errorf("quota %+v; want demo of %s at 8 of 10, warned at 0.8, not limited", q, name)
	}
	if q.Month != time.Now().UTC().Format("2006-01") || q.CheckedAt.IsZero() {
		t.Errorf("month %q, checked at %v", q.Month, q.CheckedAt)
	}
	if len(rep.Quotas) != 1 || rep.Quotas[0].Sessions != 8 {
		t.Errorf("report quotas %+v, want demo's", rep.Quotas)
	}
	if got, want := q.Summary(), "site demo: 8 of 10 sessions in "+q.Month+" (warning at 80 %)"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}
