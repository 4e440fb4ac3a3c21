package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/replay/replaytest"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop"
)

var assetRef = regexp.MustCompile(`/asset/([0-9a-f]{64})`)

// A session exported with its assets replays on another machine: the
// export carries every stored asset, a fresh workspace imports them, and
// the player's events load only assets that workspace holds.
func TestExportCarriesAssetsToAnotherWorkspace(t *testing.T) {
	dir := t.TempDir()
	page, err := replaytest.New([]byte("not a real font, bytes are enough here"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.loupe")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := page.WriteArchive(f, true); err != nil {
		t.Fatal(err)
	}
	f.Close()
	first, second := filepath.Join(dir, "first.db"), filepath.Join(dir, "second.db")
	out, _, err := runCLI(t, "import", "--workspace", first, in)
	if err != nil || !strings.Contains(out, "page assets 4 of 5 stored; 1 missing: http 404") {
		t.Fatalf("import: %q, %v", out, err)
	}
	exported := filepath.Join(dir, "moved.loupe")
	out, _, err = runCLI(t, "export", "--workspace", first, "--session", replaytest.SessionID, "--out", exported)
	if err != nil || !strings.Contains(out, "4 page assets") {
		t.Fatalf("export: %q, %v", out, err)
	}
	// The exported file is a version 2 archive carrying the four bodies.
	ef, err := os.Open(exported)
	if err != nil {
		t.Fatal(err)
	}
	r, err := archive.NewReader(ef)
	if err != nil {
		t.Fatal(err)
	}
	carried := 0
	r.OnAssetData(func(archive.AssetData) error { carried++; return nil })
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	ef.Close()
	if r.Header().Version != 2 || carried != 4 || len(r.Assets()) != 5 {
		t.Errorf("exported archive: version %d, %d data lines, %d manifest entries; want 2, 4, 5", r.Header().Version, carried, len(r.Assets()))
	}

	out, _, err = runCLI(t, "import", "--workspace", second, exported)
	if err != nil || !strings.Contains(out, "4 of 5 stored") {
		t.Fatalf("import into a fresh workspace: %q, %v", out, err)
	}
	ctx := context.Background()
	db, err := workspace.Open(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := desktop.NewPlayer(db).Load(replaytest.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Assets.Summary != "4 of 5 stored; 1 missing: http 404" || len(rep.Assets.Missing) != 1 || rep.Assets.Missing[0].URL != replaytest.GoneURL {
		t.Errorf("player completeness = %+v", rep.Assets)
	}
	seen, inlined := map[string]bool{}, false
	for i, e := range rep.Events {
		b, _ := json.Marshal(e)
		inlined = inlined || strings.Contains(string(b), `"_cssText":"@font-face{font-family:\"`+replaytest.FontName)
		if i > 0 && strings.Contains(string(b), "fixture.test") {
			t.Errorf("event %d still names the recorded site: %s", i, b)
		}
		for _, m := range assetRef.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
	}
	if !inlined {
		t.Error("the stored stylesheet was not inlined")
	}
	for _, d := range page.Data {
		if d.Type == "text/css" {
			continue // inlined, not loaded
		}
		if !seen[d.SHA256] {
			t.Errorf("the replay does not load %s (%s)", d.SHA256[:12], d.Type)
		}
	}
	for sha := range seen {
		if has, err := db.HasAsset(ctx, sha); err != nil || !has {
			t.Errorf("the replay loads /asset/%s, which the new workspace lacks", sha[:12])
		}
	}
}

// `loupe sync` from a copied store folder brings the page assets along and
// says so.
func TestSyncFolderReportsAssets(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	page, err := replaytest.New([]byte("font bytes"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range page.Data {
		p := filepath.Join(store, filepath.FromSlash(archive.AssetKey(d.SHA256)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, d.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(store, "s.loupe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := page.WriteArchive(f, false); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ws := filepath.Join(dir, "w.db")
	out, _, err := runCLI(t, "sync", "--workspace", ws, "--from", store)
	if err != nil || !strings.Contains(out, "page assets: 4 fetched (") || !strings.Contains(out, "0 missing at the source") {
		t.Fatalf("sync: %q, %v", out, err)
	}
	out, _, err = runCLI(t, "sync", "--workspace", ws, "--from", store, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Assets struct {
			Fetched int `json:"assets_fetched"`
		} `json:"assets"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Assets.Fetched != 0 {
		t.Errorf("second sync --json: %s, %v; want nothing fetched again", out, err)
	}
}
