package desktop

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/share"
	"github.com/loupe-dev/loupe/core/workspace"
)

// A playlist saved from the UI is still there after the workspace is
// closed and opened again, and exports as one file.
func TestPlaylistSurvivesReopenAndShares(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	db, err := workspace.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	fillGenerated(t, db, 3)
	list, err := NewSessions(db).List(SessionQuery{Limit: 2})
	if err != nil || len(list.Sessions) < 2 {
		t.Fatalf("sessions: %v, %v", list, err)
	}
	a, b := list.Sessions[0].ID, list.Sessions[1].ID
	want := workspace.Playlist{Name: "Quarterly review", Items: []workspace.PlaylistItem{
		{Session: a, Title: "First", Caption: "The whole visit"},
		{Session: b, FromMS: 0, ToMS: 1500, Title: "Second", Caption: "Its start"},
	}}
	if _, err := NewPlaylists(db).Save(want.Name, want.Items); err != nil {
		t.Fatal(err)
	}
	if _, err := NewPlaylists(db).Save(" ", nil); codeOfErr(err) != CodeInvalid {
		t.Errorf("nameless playlist = %v, want invalid", err)
	}
	db.Close()

	db, err = workspace.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := NewPlaylists(db).List()
	if err != nil || len(names) != 1 || names[0] != want.Name {
		t.Fatalf("playlists after reopening: %v, %v", names, err)
	}
	got, err := NewPlaylists(db).Get(want.Name)
	if err != nil || len(got.Items) != 2 || got.Items[1] != want.Items[1] {
		t.Fatalf("playlist after reopening: %+v, %v", got, err)
	}
	f, err := NewShares(db).Build(ShareRequest{Playlist: want.Name})
	if err != nil {
		t.Fatal(err)
	}
	c, err := share.Read([]byte(f.HTML))
	if err != nil || len(c.Items) != 2 || c.Items[0].Caption != "The whole visit" || f.Bytes != len(f.HTML) {
		t.Fatalf("shared playlist: %+v, %v", c, err)
	}
	if !strings.HasPrefix(f.Name, "loupe-playlist-Quarterly-review") {
		t.Errorf("file name %q", f.Name)
	}
	if _, err := NewShares(db).Build(ShareRequest{Session: a, FromMS: 2000, ToMS: 1000}); codeOfErr(err) != CodeInvalid {
		t.Errorf("backwards stretch = %v, want invalid", err)
	}
	if _, err := NewShares(db).Build(ShareRequest{Playlist: "nope"}); codeOfErr(err) != CodeNotFound {
		t.Errorf("missing playlist = %v, want not found", err)
	}
	if err := NewPlaylists(db).Delete(want.Name); err != nil {
		t.Fatal(err)
	}
}

// The side-by-side view exports as one file aligned where the view
// aligns it.
func TestSharesBuildCompare(t *testing.T) {
	db := newWorkspace(t)
	var step string
	for _, s := range []string{"scroll", "input", "hostile"} {
		r, err := NewPlayer(db).Load(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Facts.Clicks {
			if c.OffsetMS > 0 && c.Selector != "" && step == "" {
				step = "click:" + c.Selector
			}
		}
		if step != "" {
			cmp, err := NewPlayer(db).Compare(s, s, step)
			if err != nil {
				t.Fatal(err)
			}
			f, err := NewShares(db).BuildCompare(s, s, step)
			if err != nil {
				t.Fatal(err)
			}
			c, err := share.Read([]byte(f.HTML))
			if err != nil || len(c.Items) != 2 || c.Pair == nil {
				t.Fatalf("side-by-side file: %+v, %v", c, err)
			}
			if c.Pair.AMS != cmp.AlignA-c.Items[0].StartMS || c.Pair.BMS != cmp.AlignB-c.Items[1].StartMS || c.Pair.Label != step {
				t.Errorf("file aligned at %+v; the view at %d/%d", c.Pair, cmp.AlignA, cmp.AlignB)
			}
			if !strings.HasPrefix(f.Name, "loupe-compare-") || f.Events != len(c.Items[0].Events)+len(c.Items[1].Events) {
				t.Errorf("file %q with %d events", f.Name, f.Events)
			}
			break
		}
	}
	if step == "" {
		t.Fatal("no fixture has a click to align at")
	}
	f, err := NewShares(db).BuildCompare("scroll", "input", "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := share.Read([]byte(f.HTML)); err != nil || c.Pair == nil || c.Pair.Label != share.AlignStart {
		t.Fatalf("aligned at the start: %+v, %v", c.Pair, err)
	}
	if _, err := NewShares(db).BuildCompare("scroll", "input", "event:never-sent"); codeOfErr(err) != CodeInvalid {
		t.Errorf("a step never reached: %v", err)
	}
	if _, err := NewShares(db).BuildCompare("scroll", "nope", ""); codeOfErr(err) != CodeNotFound {
		t.Errorf("a missing session: %v", err)
	}
	if _, err := NewShares(db).Build(ShareRequest{Compare: []string{"scroll"}}); codeOfErr(err) != CodeInvalid {
		t.Errorf("one session to compare: %v", err)
	}
}
