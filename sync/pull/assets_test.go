package pull

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/sync/source"
)

// assetArchive writes a version 2 archive of one pageview whose manifest
// lists refs, carrying the bytes in carry.
func assetArchive(t testing.TB, session string, refs []archive.AssetRef, carry []archive.AssetData) ([]byte, string) {
	t.Helper()
	start := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	h := archive.Header{Site: "shop", Session: session, Visitor: "v_" + session, StartedAt: start,
		EndedAt: start.Add(time.Second), Pages: []string{"/"}, Source: "tracker"}
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	ms := start.UnixMilli()
	for _, l := range []string{
		fmt.Sprintf(`{"type":4,"data":{"href":"https://shop.test/","width":1280,"height":800},"timestamp":%d}`, ms),
		fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"img","attributes":{"src":"https://cdn.test/logo.png"},"childNodes":[]}]},"initialOffset":{"top":0,"left":0}},"timestamp":%d}`, ms+1),
	} {
		if err := w.Write(json.RawMessage(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteAssets(refs); err != nil {
		t.Fatal(err)
	}
	for _, d := range carry {
		if err := w.WriteAssetData(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.Sum()
}

func TestSyncFetchesAssetsOnceAndRecordsMissing(t *testing.T) {
	ctx := context.Background()
	st, err := file.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	png, css := []byte("\x89PNG logo"), []byte(".hero{background:url(bg.png)}")
	for _, b := range [][]byte{png, css} {
		if err := st.PutAsset(ctx, archive.SumAsset(b), bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		}
	}
	absent := archive.SumAsset([]byte("listed but never uploaded"))
	refs := []archive.AssetRef{
		{URL: "https://cdn.test/logo.png", SHA256: archive.SumAsset(png), Type: "image/png", Size: int64(len(png))},
		{URL: "https://cdn.test/gone.png", Missing: "http 404"},
		{URL: "https://cdn.test/lost.png", SHA256: absent, Type: "image/png", Size: 25},
		{URL: "https://shop.test/main.css", SHA256: archive.SumAsset(css), Type: "text/css", Size: int64(len(css))},
	}
	for i, sess := range []string{"s_assets_a", "s_assets_b"} {
		b, sum := assetArchive(t, sess, refs, nil)
		if err := st.Put(ctx, fmt.Sprintf("2026/11/03/%05d-%s.loupe", i, sess), bytes.NewReader(b), int64(len(b)), sum); err != nil {
			t.Fatal(err)
		}
	}
	srv := fakeCollector(t, st, "tok")
	src, err := source.Open(ctx, srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last Progress
	rep, err := Sync(ctx, src, db, Options{Source: source.Name(srv.URL), Progress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	want := AssetCounts{Fetched: 2, Bytes: int64(len(png) + len(css)), Present: 3, Missing: 1}
	if rep.Imported != 2 || rep.Assets != want {
		t.Errorf("report: %d imported, assets %+v; want 2 and %+v", rep.Imported, rep.Assets, want)
	}
	if last.AssetBytes != want.Bytes || last.AssetsFetched != 2 {
		t.Errorf("last progress %+v does not show the asset bytes", last)
	}
	for _, sess := range []string{"s_assets_a", "s_assets_b"} {
		c, err := db.AssetCompleteness(ctx, sess)
		if err != nil {
			t.Fatal(err)
		}
		if w := "2 of 4 stored; 2 missing: http 404 (1), not at the source (1)"; c.Summary != w {
			t.Errorf("%s: %q, want %q", sess, c.Summary, w)
		}
	}
	a, err := db.OpenAsset(ctx, archive.SumAsset(css))
	if err != nil || a.Type != "text/css" || !bytes.Equal(a.Data, css) {
		t.Errorf("stored stylesheet = %+v, %v", a, err)
	}

	// The missing bytes reach the store later: the next sync, with no new
	// archive, fetches just them.
	lost := []byte("listed but never uploaded")
	if err := st.PutAsset(ctx, absent, bytes.NewReader(lost), int64(len(lost))); err != nil {
		t.Fatal(err)
	}
	rep, err = Sync(ctx, src, db, Options{Source: source.Name(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 0 || rep.Assets.Fetched != 1 || rep.Assets.Bytes != int64(len(lost)) {
		t.Errorf("second sync: %d imported, assets %+v; want only the lost asset", rep.Imported, rep.Assets)
	}
	if c, _ := db.AssetCompleteness(ctx, "s_assets_a"); c.Stored != 3 {
		t.Errorf("after the second sync: %q", c.Summary)
	}
}

func TestSyncFromFolderStoresAssetsAndTamperedBytesAreMissing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good, bad := []byte("good font"), []byte("bad image")
	badSHA := archive.SumAsset(bad)
	for sha, b := range map[string][]byte{archive.SumAsset(good): good, badSHA: []byte("tampered")} {
		p := filepath.Join(dir, filepath.FromSlash(archive.AssetKey(sha)))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := assetArchive(t, "s_folder_1", []archive.AssetRef{
		{URL: "https://cdn.test/f.woff2", SHA256: archive.SumAsset(good), Type: "font/woff2", Size: int64(len(good))},
		{URL: "https://cdn.test/x.png", SHA256: badSHA, Type: "image/png", Size: int64(len(bad))},
	}, nil)
	if err := os.WriteFile(filepath.Join(dir, "s_folder_1.loupe"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := source.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := Sync(ctx, src, db, Options{Source: source.Name(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.Assets.Fetched != 1 || rep.Assets.Missing != 1 {
		t.Errorf("report %+v", rep)
	}
	c, _ := db.AssetCompleteness(ctx, "s_folder_1")
	if w := "1 of 2 stored; 1 missing: the source's bytes do not match their sha256"; c.Summary != w {
		t.Errorf("completeness %q, want %q", c.Summary, w)
	}
}

func TestImportFileCarryingAssets(t *testing.T) {
	ctx := context.Background()
	png := []byte("carried png")
	sha := archive.SumAsset(png)
	b, _ := assetArchive(t, "s_carried1", []archive.AssetRef{
		{URL: "https://cdn.test/logo.png", SHA256: sha, Type: "image/png", Size: int64(len(png))},
		{URL: "https://cdn.test/gone.png", Missing: "timeout"},
	}, []archive.AssetData{{SHA256: sha, Type: "image/png", Data: png}})
	path := filepath.Join(t.TempDir(), "s.loupe")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := ImportFiles(ctx, db, []string{path}, nil)
	if err != nil || len(res) != 1 || res[0].Status != "imported" {
		t.Fatalf("ImportFiles = %+v, %v", res, err)
	}
	if res[0].AssetsCarried != 1 || res[0].Assets != "1 of 2 stored; 1 missing: timeout" {
		t.Errorf("result %+v", res[0])
	}
	a, err := db.OpenAsset(ctx, sha)
	if err != nil || !bytes.Equal(a.Data, png) {
		t.Errorf("carried asset not stored: %v", err)
	}
}

// Importing a copied store folder brings the assets kept in it too.
func TestImportStoreFolderFetchesItsAssets(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := file.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("png in the folder")
	sha := archive.SumAsset(png)
	if err := st.PutAsset(ctx, sha, bytes.NewReader(png), int64(len(png))); err != nil {
		t.Fatal(err)
	}
	b, _ := assetArchive(t, "s_folder_imp", []archive.AssetRef{{URL: "https://cdn.test/logo.png", SHA256: sha, Type: "image/png", Size: int64(len(png))}}, nil)
	if err := os.WriteFile(filepath.Join(dir, "s.loupe"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := ImportFiles(ctx, db, []string{dir}, nil)
	if err != nil || len(res) != 1 || res[0].Status != "imported" {
		t.Fatalf("ImportFiles = %+v, %v", res, err)
	}
	if res[0].Assets != "1 of 1 stored" {
		t.Errorf("assets after importing the folder: %q", res[0].Assets)
	}
}

// A version 1 archive (no asset lines) imports as before, with no manifest.
func TestImportVersion1Archive(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, archive.Header{Version: archive.Version1, Site: "shop", Session: "s_version1",
		Visitor: "v_1", StartedAt: start, EndedAt: start.Add(time.Second), Pages: []string{"/"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{
		fmt.Sprintf(`{"type":4,"data":{"href":"https://shop.test/","width":1280,"height":800},"timestamp":%d}`, start.UnixMilli()),
		fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[]},"initialOffset":{"top":0,"left":0}},"timestamp":%d}`, start.UnixMilli()+1),
	} {
		if err := w.Write(json.RawMessage(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if r, err := archive.NewReader(bytes.NewReader(buf.Bytes())); err != nil || r.Header().Version != 1 {
		t.Fatalf("not a version 1 archive: %v", err)
	}
	path := filepath.Join(t.TempDir(), "v1.loupe")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := ImportFiles(ctx, db, []string{path}, nil)
	if err != nil || len(res) != 1 || res[0].Status != "imported" || res[0].Events != 2 || res[0].Assets != "" {
		t.Fatalf("ImportFiles = %+v, %v", res, err)
	}
	if c, _ := db.AssetCompleteness(ctx, "s_version1"); c.Total != 0 {
		t.Errorf("a version 1 archive left a manifest: %+v", c)
	}
}
