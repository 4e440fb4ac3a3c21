package workspace

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/segment"
)

func TestSavedSegmentsFunnelsAndTagRules(t *testing.T) {
	db, facts := generatedWorkspace(t, 3, 80)
	ctx := context.Background()
	e := segment.MustParse(`device = mobile and visited "/cart"`)
	if err := db.SaveSegment(ctx, "mobile carts", e); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSegment(ctx, "", e); !errors.Is(err, ErrInvalidName) {
		t.Errorf("empty name: err = %v, want ErrInvalidName", err)
	}
	got, err := db.SavedSegment(ctx, "mobile carts")
	if err != nil || got.String() != e.String() {
		t.Fatalf("SavedSegment = %v, %v; want %v", got, err, e)
	}
	list, err := db.SavedSegments(ctx)
	if err != nil || len(list) != 1 || list[0].Text != e.String() {
		t.Fatalf("SavedSegments = %+v, %v", list, err)
	}
	if err := db.DeleteSegment(ctx, "mobile carts"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavedSegment(ctx, "mobile carts"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: err = %v, want ErrNotFound", err)
	}

	step1, _ := funnel.ParseStep("page:/cart")
	step2, _ := funnel.ParseStep("click:#pay")
	q := funnel.Query{Steps: []funnel.Step{step1, step2}, Mode: funnel.Strict, Window: 10 * time.Minute, Segment: e, Breakdown: "device"}
	if err := db.SaveFunnel(ctx, "pay", q); err != nil {
		t.Fatal(err)
	}
	fs, err := db.SavedFunnels(ctx)
	if err != nil || len(fs) != 1 {
		t.Fatalf("SavedFunnels = %+v, %v", fs, err)
	}
	back := fs[0].Query
	if back.String() != q.String() {
		t.Errorf("saved funnel = %s, want %s", back.String(), q.String())
	}

	n, err := db.SaveTagRule(ctx, "mobile cart", "mobile_cart", e)
	if err != nil {
		t.Fatal(err)
	}
	want := len(referenceIDs(e, facts))
	if n != want || want == 0 {
		t.Errorf("rule tagged %d sessions, want %d (> 0)", n, want)
	}
	tagged, err := db.SessionIDs(ctx, segment.MustParse(`tag = mobile_cart`))
	if err != nil || len(tagged) != want {
		t.Errorf("sessions tagged mobile_cart = %d, %v; want %d", len(tagged), err, want)
	}
	if err := db.DeleteTagRule(ctx, "mobile cart"); err != nil {
		t.Fatal(err)
	}
	if tagged, _ := db.SessionIDs(ctx, segment.MustParse(`tag = mobile_cart`)); len(tagged) != 0 {
		t.Errorf("after deleting the rule %d sessions keep its tag, want 0", len(tagged))
	}
}
