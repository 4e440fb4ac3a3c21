package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/replay/replaytest"
	"github.com/loupe-dev/loupe/core/share"
	"github.com/loupe-dev/loupe/core/workspace"
)

// importFixture imports the page-asset fixture into a new workspace.
func importFixture(t *testing.T) (dir, db string, page replaytest.Page) {
	t.Helper()
	dir = t.TempDir()
	page, err := replaytest.New([]byte("not a real font, bytes are enough here"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.loupe")
	var b bytes.Buffer
	if err := page.WriteArchive(&b, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db = filepath.Join(dir, "ws.db")
	if out, _, err := runCLI(t, "import", "--workspace", db, in); err != nil {
		t.Fatalf("import: %q, %v", out, err)
	}
	return dir, db, page
}

// A shared session is one file: a CSP that allows no network, each stored
// asset once as a data: URI, events that reference assets only by digest,
// and nothing of the recorded site's addresses to load.
func TestShareWritesOneSelfContainedFile(t *testing.T) {
	dir, db, page := importFixture(t)
	out := filepath.Join(dir, "clip.html")
	stdout, _, err := runCLI(t, "share", "--workspace", db, "--session", replaytest.SessionID, "--out", out)
	if err != nil || !strings.Contains(stdout, "wrote "+out) || !strings.Contains(stdout, "3 page assets") {
		t.Fatalf("share: %q, %v", stdout, err)
	}
	html, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte(`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`)) {
		t.Error("the file has no CSP that denies the network")
	}
	if bytes.Contains(html, []byte("https://cdn.fixture.test")) {
		t.Error("the file still names the recorded site's asset URLs")
	}
	c, err := share.Read(html)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 1 || len(c.Items[0].Events) != len(page.Events) || c.Items[0].Markers == 0 {
		t.Fatalf("items %+v", c.Items)
	}
	if len(c.Assets) != 3 {
		t.Errorf("carried %d assets; want logo, background and font", len(c.Assets))
	}
	for sha, uri := range c.Assets {
		if n := bytes.Count(html, []byte(uri)); n != 1 {
			t.Errorf("asset %s appears %d times in the file; want once", sha[:8], n)
		}
		if !bytes.Contains(html, []byte(sha)) {
			t.Errorf("asset %s is carried but never referenced", sha[:8])
		}
	}
}

// A stretch carries no event after its end, and before its start only the
// full snapshot (and Meta) that draws its first frame.
func TestShareStretchCarriesNoEventOutsideIt(t *testing.T) {
	dir, db, _ := importFixture(t)
	out := filepath.Join(dir, "stretch.html")
	if stdout, _, err := runCLI(t, "share", "--workspace", db, "--session", replaytest.SessionID, "--from", "0:01", "--to", "0:02", "--out", out); err != nil {
		t.Fatalf("share: %q, %v", stdout, err)
	}
	html, _ := os.ReadFile(out)
	c, err := share.Read(html)
	if err != nil {
		t.Fatal(err)
	}
	ev := c.Items[0].Events
	base := ev[0].Timestamp - c.Items[0].StartMS
	for _, e := range ev {
		at := e.Timestamp - base
		if at > 2000 {
			t.Errorf("event of type %d at %d ms is after the stretch", e.Type, at)
		}
		if at < 1000 && e.Type != 2 && e.Type != 4 {
			t.Errorf("event of type %d at %d ms before the stretch does not draw its first frame", e.Type, at)
		}
	}
	if c.Items[0].FromMS != 1000-c.Items[0].StartMS {
		t.Errorf("playing starts at %d ms of the file; want %d", c.Items[0].FromMS, 1000-c.Items[0].StartMS)
	}
}

func TestShareRefusesBadInput(t *testing.T) {
	dir, db, _ := importFixture(t)
	out := filepath.Join(dir, "x.html")
	for _, args := range [][]string{
		{"--session", replaytest.SessionID},
		{"--session", replaytest.SessionID, "--playlist", "p", "--out", out},
		{"--session", replaytest.SessionID, "--from", "1:00", "--to", "0:30", "--out", out},
		{"--session", replaytest.SessionID, "--from", "soon", "--out", out},
		{"--session", "s_nope", "--out", out},
		{"--playlist", "nope", "--out", out},
	} {
		if _, _, err := runCLI(t, append([]string{"share", "--workspace", db}, args...)...); err == nil {
			t.Errorf("share %v succeeded", args)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused share left %s behind", out)
	}
}

// A saved playlist exports as one file with every item's title and caption.
func TestSharePlaylist(t *testing.T) {
	dir, dbPath, _ := importFixture(t)
	ctx := context.Background()
	db, err := workspace.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SavePlaylist(ctx, workspace.Playlist{Name: "talk", Items: []workspace.PlaylistItem{
		{Session: replaytest.SessionID, Title: "Whole visit", Caption: "From landing to leaving"},
		{Session: replaytest.SessionID, FromMS: 1000, ToMS: 2000, Title: "The moment", Caption: "Look here"},
	}})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "talk.html")
	stdout, _, err := runCLI(t, "share", "--workspace", dbPath, "--playlist", "talk", "--out", out)
	if err != nil || !strings.Contains(stdout, "2 item(s)") {
		t.Fatalf("share: %q, %v", stdout, err)
	}
	html, _ := os.ReadFile(out)
	c, err := share.Read(html)
	if err != nil || c.Title != "talk" || len(c.Items) != 2 || c.Items[1].Caption != "Look here" || len(c.Assets) != 3 {
		t.Fatalf("playlist file: %+v, %v", c, err)
	}
}

// A side-by-side file carries exactly the two sessions' events, their
// shared page assets once, and where the two line up.
func TestShareCompareCarriesBothSessions(t *testing.T) {
	dir, db, page := importFixture(t)
	// A second, longer visit of the same page: its assets are the same digests.
	other := page
	other.Header.Session, other.Header.Visitor = "s_second", "v_second"
	other.Header.EndedAt = other.Header.EndedAt.Add(2 * time.Second)
	other.Events = append(append([]json.RawMessage{}, page.Events...),
		json.RawMessage(fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":50,"y":50,"id":5,"timeOffset":0}]},"timestamp":%d`, other.Header.StartedAt.UnixMilli()+5000)+"}"))
	in := filepath.Join(dir, "second.loupe")
	var b bytes.Buffer
	if err := other.WriteArchive(&b, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCLI(t, "import", "--workspace", db, in); err != nil {
		t.Fatalf("import: %q, %v", out, err)
	}
	out := filepath.Join(dir, "pair.html")
	stdout, _, err := runCLI(t, "share", "--workspace", db, "--compare", replaytest.SessionID+",s_second", "--out", out)
	if err != nil || !strings.Contains(stdout, "2 item(s)") {
		t.Fatalf("share --compare: %q, %v", stdout, err)
	}
	html, _ := os.ReadFile(out)
	c, err := share.Read(html)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 2 || len(c.Items[0].Events) != len(page.Events) || len(c.Items[1].Events) != len(other.Events) {
		t.Fatalf("items: %d, events %v", len(c.Items), c.Items)
	}
	if got := c.Items[1].Events[len(c.Items[1].Events)-1].Timestamp; got != other.Header.StartedAt.UnixMilli()+5000 {
		t.Errorf("B's last event at %d; want the second session's", got)
	}
	if c.Pair == nil || c.Pair.Label != share.AlignStart || c.Pair.AMS != 0 || c.Pair.BMS != 0 {
		t.Errorf("pair %+v; want aligned at the start", c.Pair)
	}
	if len(c.Assets) != 3 {
		t.Errorf("carried %d assets; want the 3 both sessions share, once", len(c.Assets))
	}
	for sha, uri := range c.Assets {
		if n := bytes.Count(html, []byte(uri)); n != 1 {
			t.Errorf("asset %s appears %d times; want once", sha[:8], n)
		}
	}

	for _, bad := range [][]string{
		{"--compare", replaytest.SessionID},
		{"--compare", replaytest.SessionID + ",s_second", "--session", replaytest.SessionID},
		{"--session", replaytest.SessionID, "--align", "page:/"},
	} {
		if _, _, err := runCLI(t, append([]string{"share", "--workspace", db, "--out", filepath.Join(dir, "bad.html")}, bad...)...); err == nil {
			t.Errorf("share %v: no error", bad)
		}
	}
	if _, _, err := runCLI(t, "share", "--workspace", db, "--compare", replaytest.SessionID+",s_second", "--align", "click:#nothing", "--out", filepath.Join(dir, "bad.html")); !errors.Is(err, share.ErrNeverReached) {
		t.Errorf("aligning at a step never reached: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.html")); !os.IsNotExist(err) {
		t.Error("a refused share wrote a file")
	}
}
