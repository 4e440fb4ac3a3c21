package ask

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/workspace"
)

func TestVocabularyOfWorkspace(t *testing.T) {
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ask.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range generate.Sessions(generate.Options{Seed: 4, Sessions: 300, NoEvents: true}) {
		if _, err := b.Add(s.Header, s.Events, s.Facts, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	v, err := VocabularyOf(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(v.Pages, "/checkout") || !slices.Contains(v.Events, "purchase") || !slices.Contains(v.Devices, "mobile") {
		t.Fatalf("vocabulary lacks the shop's words: pages %v events %v devices %v", v.Pages, v.Events, v.Devices)
	}
	if !slices.Contains(v.Elements, Element{Selector: "#pay", Text: "Pay now"}) {
		t.Errorf("vocabulary lacks the pay button: %v", v.Elements)
	}
	tests := []struct{ sentence, want string }{
		{"mobile users who reached checkout but did not pay", `device = mobile and visited "/checkout*" and not did "purchase"`},
		{"people who clicked Pay now", `clicked "#pay"`},
		{"sessions that went to the basket", `visited "/cart*"`},
	}
	for _, tt := range tests {
		r, err := Parse(tt.sentence, v, corpusNow)
		if err != nil {
			t.Fatal(err)
		}
		if r.Segment != tt.want || len(r.Unknown) != 0 {
			t.Errorf("Parse(%q) = %q, unknown %v; want %q", tt.sentence, r.Segment, r.Unknown, tt.want)
			continue
		}
		expr, err := workspace.ParseSegment(r.Segment)
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.CountSegment(ctx, expr)
		if err != nil || n == 0 {
			t.Errorf("segment %q holds %d sessions (err %v), want some", r.Segment, n, err)
		}
	}
}
