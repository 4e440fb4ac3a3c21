package saved

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// open makes a workspace file holding the same generated sessions each time.
func open(t *testing.T, name string) (*workspace.DB, []string) {
	t.Helper()
	ctx := t.Context()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), name+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var ids []string
	err = generate.Each(generate.Options{Seed: 5, Sessions: 8}, func(i int, s generate.Session) error {
		ids = append(ids, s.Header.Session)
		_, err := db.Import(ctx, s.Header, s.Events, s.Facts, "", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, ids
}

func mustParse(t *testing.T, s string) segment.Expr {
	t.Helper()
	e, err := segment.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, ids := open(t, "src")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(src.SaveSegment(ctx, "mobile", mustParse(t, "device = mobile")))
	must(src.SaveSegment(ctx, "checkout", mustParse(t, `visited "/checkout*"`)))
	step, _ := funnel.ParseStep("page:/cart")
	step2, _ := funnel.ParseStep("page:/checkout")
	must(src.SaveFunnel(ctx, "buy", funnel.Query{Steps: []funnel.Step{step, step2}, Window: time.Hour}))
	_, err := src.SaveTagRule(ctx, "errors", "has-errors", mustParse(t, "js_errors > 0"))
	must(err)
	_, err = dashboard.UseTemplate(ctx, src, dashboard.DefaultTemplate)
	must(err)
	_, err = src.AddNote(ctx, workspace.Note{Session: ids[0], OffsetMS: 1200, Text: "hesitates at the price"})
	must(err)
	_, err = src.AddNote(ctx, workspace.Note{Session: ids[1], OffsetMS: 0, Text: "", Bookmark: true})
	must(err)

	b, err := Export(ctx, src)
	must(err)
	var file bytes.Buffer
	must(Write(&file, b))

	dst, _ := open(t, "dst")
	// A different segment under a name the file also uses.
	must(dst.SaveSegment(ctx, "mobile", mustParse(t, "device = desktop")))
	in, err := Read(bytes.NewReader(file.Bytes()))
	must(err)
	rep, err := Import(ctx, dst, in)
	must(err)
	if rep.Added != 6 || len(rep.Renamed) != 1 || rep.Renamed[0] != "mobile → mobile (imported)" || !rep.Dashboard {
		t.Errorf("first import = %+v; want 6 added, mobile renamed, the dashboard set", rep)
	}
	segs, _ := dst.SavedSegments(ctx)
	got := map[string]string{}
	for _, s := range segs {
		got[s.Name] = s.Text
	}
	if got["mobile"] != "device = desktop" || got["mobile (imported)"] != "device = mobile" || got["checkout"] == "" {
		t.Errorf("segments after import = %v", got)
	}
	notes, _ := dst.AllNotes(ctx)
	if len(notes) != 2 || notes[0].Text != "hesitates at the price" && notes[1].Text != "hesitates at the price" {
		t.Errorf("notes after import = %+v", notes)
	}
	var tagged int
	dst.DB().QueryRow(`SELECT count(*) FROM tags WHERE source = 'rule'`).Scan(&tagged)
	var withErrors int
	dst.DB().QueryRow(`SELECT count(*) FROM sessions WHERE js_errors > 0`).Scan(&withErrors)
	if tagged != withErrors {
		t.Errorf("the imported tag rule tagged %d sessions, want %d", tagged, withErrors)
	}

	again, err := Import(ctx, dst, in)
	must(err)
	if again.Added != 0 || len(again.Renamed) != 0 || again.Dashboard {
		t.Errorf("second import = %+v; want nothing added", again)
	}
}

func TestImportRejectsBadFilesWholesale(t *testing.T) {
	ctx := context.Background()
	dst, _ := open(t, "dst")
	if _, err := Read(strings.NewReader(`{"format":"something-else","version":1}`)); !errors.Is(err, ErrNotSaved) {
		t.Errorf("foreign file = %v, want ErrNotSaved", err)
	}
	if _, err := Read(strings.NewReader(`not json`)); !errors.Is(err, ErrNotSaved) {
		t.Errorf("garbage = %v, want ErrNotSaved", err)
	}
	bad := Bundle{Format: Format, Version: Version,
		Segments: []Segment{{Name: "fine", Segment: "device = mobile"}, {Name: "broken", Segment: "device = = ("}}}
	if _, err := Import(ctx, dst, bad); err == nil {
		t.Fatal("a bundle with a broken segment imported")
	}
	if segs, _ := dst.SavedSegments(ctx); len(segs) != 0 {
		t.Errorf("a rejected bundle still saved %d segments", len(segs))
	}
}
