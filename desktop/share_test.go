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
