package desktop

import (
	"testing"

	"github.com/loupe-dev/loupe/core/segment"
)

// Saved segments and funnels live in the workspace tables the CLI and
// alert rules read, not in the workbench's settings.
func TestSavedItemsShareTheWorkspaceTables(t *testing.T) {
	db := newWorkspace(t)
	ctx := t.Context()
	cli, _ := segment.Parse(`visited "/scroll*"`)
	if err := db.SaveSegment(ctx, "From the CLI", cli); err != nil {
		t.Fatal(err)
	}
	s := NewSegments(db)
	list, err := s.Save("Mobile", "device = mobile")
	if err != nil {
		t.Fatal(err)
	}
	if got := names(list); got != "From the CLI,Mobile" {
		t.Errorf("segments after Save = %s, want From the CLI,Mobile", got)
	}
	if e, err := db.SavedSegment(ctx, "Mobile"); err != nil || e.String() != "device = mobile" {
		t.Errorf("workspace table has Mobile = %v, %v", e, err)
	}
	if _, err := s.Save("Empty", "  "); codeOfErr(err) != CodeInvalid {
		t.Errorf("Save(empty text) = %v, want invalid", err)
	}
	if _, err := s.Delete("From the CLI"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavedSegment(ctx, "From the CLI"); err == nil {
		t.Error("deleted segment still in the workspace table")
	}
	if _, err := s.Delete("From the CLI"); codeOfErr(err) != CodeNotFound {
		t.Errorf("second Delete = %v, want not_found", err)
	}

	f := NewFunnels(db)
	fl, err := f.Save(FunnelQuery{Name: "Checkout", Steps: []string{"page:/cart", "page:/checkout"}, Segment: "device = mobile", Breakdown: "device"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.SavedFunnels(ctx)
	if err != nil || len(rows) != 1 || len(rows[0].Query.Steps) != 2 {
		t.Fatalf("workspace funnels = %+v, %v", rows, err)
	}
	got := fl[0]
	if got.Name != "Checkout" || len(got.Steps) != 2 || got.Steps[1] != "page:/checkout" || got.Segment != "device = mobile" || got.Breakdown != "device" {
		t.Errorf("saved funnel reads back as %+v", got)
	}
	if _, err := f.Run(got); err != nil {
		t.Errorf("a saved funnel read back does not run: %v", err)
	}
}

func names(list []SavedSegment) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ","
		}
		out += s.Name
	}
	return out
}
