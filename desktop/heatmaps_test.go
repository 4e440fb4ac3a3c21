package desktop

import (
	"encoding/json"
	"testing"
)

// TestHeatmapsFromTheSharedIndex: the heatmap binding shares the
// dashboard's index, and a heatmap narrowed by device and segment, and
// the recorded page it is drawn on, are the same before the index is
// built (sessions picked in SQL) and after.
func TestHeatmapsFromTheSharedIndex(t *testing.T) {
	db := generatedWorkspace(t, 120)
	var d *Dashboards
	var h *Heatmaps
	for _, b := range Bindings(db) {
		switch b := b.(type) {
		case *Dashboards:
			d = b
		case *Heatmaps:
			h = b
		}
	}
	if d == nil || h == nil || d.indexed != h.indexed {
		t.Fatal("the dashboard and heatmap bindings do not share one index")
	}
	defer h.indexed.Wait()
	for _, kind := range []string{"click", "move"} {
		q := HeatmapQuery{Page: "/products*", Device: "desktop", Kind: kind, Segment: "pageviews >= 2"}
		before, err := h.Get(q)
		if err != nil {
			t.Fatal(err)
		}
		h.indexed.Wait()
		if h.indexed.Current(h.ctx) == nil {
			t.Fatal("the index was not built after the first heatmap")
		}
		after, err := h.Get(q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(before.Data)
		a, _ := json.Marshal(after.Data)
		if after.Data.Sessions == 0 || string(a) != string(b) {
			t.Errorf("%s heatmap with sessions from SQL %.300s\nfrom the index %.300s", kind, b, a)
		}
		if after.Session == "" || after.Session != before.Session || len(after.Snapshot) != len(before.Snapshot) {
			t.Errorf("%s heatmap drawn on session %q (%d events) from the index, %q (%d events) from SQL",
				kind, after.Session, len(after.Snapshot), before.Session, len(before.Snapshot))
		}
	}
}
