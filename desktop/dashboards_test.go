package desktop

import (
	"encoding/json"
	"testing"
)

// TestDashboardCardsFromTheSharedIndex: the window's dashboard and funnel
// bindings share one analytics index, and a card drawn while it builds
// (from SQL) equals the card drawn from it once built.
func TestDashboardCardsFromTheSharedIndex(t *testing.T) {
	db := generatedWorkspace(t, 120)
	var d *Dashboards
	var f *Funnels
	for _, b := range Bindings(db) {
		switch b := b.(type) {
		case *Dashboards:
			d = b
		case *Funnels:
			f = b
		}
	}
	if d == nil || f == nil || d.indexed != f.indexed {
		t.Fatal("the dashboard and funnel bindings do not share one index")
	}
	defer d.indexed.Wait()
	card := Card{Kind: "top_pages", Segment: "device = mobile"}
	before, err := d.CardData(card, 30)
	if err != nil {
		t.Fatal(err)
	}
	d.indexed.Wait()
	if d.indexed.Current(d.ctx) == nil {
		t.Fatal("the index was not built after the first card")
	}
	after, err := d.CardData(card, 30)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	if len(after.Ranked) == 0 || string(a) != string(b) {
		t.Errorf("card from SQL %s\nfrom the index %s", b, a)
	}
}
