package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/rrweb"
)

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// importBare imports a minimal session so manifests have a session to hang on.
func importBare(t *testing.T, db *DB, id string) {
	t.Helper()
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	events := []rrweb.Event{
		ev(rrweb.Meta, start.UnixMilli(), `{"href":"https://shop.test/","width":1280,"height":800}`),
		ev(rrweb.FullSnapshot, start.UnixMilli()+1, `{"node":{"type":0,"childNodes":[],"id":1},"initialOffset":{"top":0,"left":0}}`),
	}
	if _, err := db.Import(context.Background(), header(id, 0, start), events, nil, id+".loupe", ""); err != nil {
		t.Fatal(err)
	}
}

func TestPutAssetIdempotentAndVerified(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	png := []byte("\x89PNG fake image bytes")
	sha := digestOf(png)
	for i, want := range []bool{true, false} {
		added, err := db.PutAsset(ctx, sha, "image/png", png)
		if err != nil || added != want {
			t.Fatalf("PutAsset #%d = %v, %v; want %v, nil", i, added, err, want)
		}
	}
	if _, err := db.PutAsset(ctx, sha, "image/png", []byte("other bytes")); !errors.Is(err, ErrAssetDigest) {
		t.Errorf("PutAsset with wrong bytes: err = %v, want ErrAssetDigest", err)
	}
	a, err := db.OpenAsset(ctx, sha)
	if err != nil || a.Type != "image/png" || string(a.Data) != string(png) {
		t.Errorf("OpenAsset = %+v, %v", a, err)
	}
	if _, err := db.OpenAsset(ctx, digestOf([]byte("absent"))); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenAsset of an absent digest: err = %v, want ErrNotFound", err)
	}
	tot, err := db.AssetTotals(ctx)
	if err != nil || tot.Count != 1 || tot.Bytes != int64(len(png)) {
		t.Errorf("AssetTotals = %+v, %v; want 1 asset of %d bytes", tot, err, len(png))
	}
}

func TestSessionManifestAndCompleteness(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	importBare(t, db, "s_assets01")
	img, css := []byte("image"), []byte("body{}")
	if _, err := db.PutAsset(ctx, digestOf(img), "image/png", img); err != nil {
		t.Fatal(err)
	}
	refs := []SessionAsset{
		{URL: "https://cdn.test/a.png", SHA256: digestOf(img), Type: "image/png"},
		{URL: "https://cdn.test/b.png", Missing: "http 404"},
		{URL: "https://cdn.test/s.css", SHA256: digestOf(css), Type: "text/css"},
	}
	if err := db.PutSessionAssets(ctx, "s_assets01", refs); err != nil {
		t.Fatal(err)
	}
	c, err := db.AssetCompleteness(ctx, "s_assets01")
	if err != nil {
		t.Fatal(err)
	}
	if want := "1 of 3 stored; 2 missing: http 404 (1), not fetched (1)"; c.Summary != want {
		t.Errorf("Summary = %q, want %q", c.Summary, want)
	}
	// The stylesheet arrives later (another sync); a second part of the
	// session finds the image again and still cannot fetch b.png.
	if _, err := db.PutAsset(ctx, digestOf(css), "text/css", css); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSessionAssets(ctx, "s_assets01", []SessionAsset{
		{URL: "https://cdn.test/b.png", Missing: "timeout"},
		{URL: "https://cdn.test/a.png", Missing: "timeout"}, // never downgrades a stored entry
	}); err != nil {
		t.Fatal(err)
	}
	c, err = db.AssetCompleteness(ctx, "s_assets01")
	if err != nil {
		t.Fatal(err)
	}
	if want := "2 of 3 stored; 1 missing: timeout"; c.Summary != want {
		t.Errorf("after the second part: Summary = %q, want %q", c.Summary, want)
	}
	if len(c.Missing) != 1 || c.Missing[0].URL != "https://cdn.test/b.png" {
		t.Errorf("Missing = %+v, want only b.png", c.Missing)
	}
	// A later part that did fetch b.png heals the entry.
	b := []byte("b image")
	if _, err := db.PutAsset(ctx, digestOf(b), "image/png", b); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSessionAssets(ctx, "s_assets01", []SessionAsset{{URL: "https://cdn.test/b.png", SHA256: digestOf(b), Type: "image/png"}}); err != nil {
		t.Fatal(err)
	}
	if c, _ = db.AssetCompleteness(ctx, "s_assets01"); c.Summary != "3 of 3 stored" {
		t.Errorf("after healing: Summary = %q", c.Summary)
	}
	if err := db.PutSessionAssets(ctx, "s_nosuch", refs[:1]); err == nil {
		t.Error("a manifest for a session not in the workspace was recorded")
	}
	if err := db.PutSessionAssets(ctx, "s_assets01", []SessionAsset{{URL: "x", SHA256: "../../etc"}}); err == nil {
		t.Error("a malformed digest was recorded")
	}
}

func TestMarkAssetUnavailableAndPrune(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	importBare(t, db, "s_prune001")
	kept, gone := []byte("kept"), []byte("gone")
	for _, b := range [][]byte{kept, gone} {
		if _, err := db.PutAsset(ctx, digestOf(b), "image/png", b); err != nil {
			t.Fatal(err)
		}
	}
	never := digestOf([]byte("never fetched"))
	if err := db.PutSessionAssets(ctx, "s_prune001", []SessionAsset{
		{URL: "https://cdn.test/k.png", SHA256: digestOf(kept), Type: "image/png"},
		{URL: "https://cdn.test/n.png", SHA256: never, Type: "image/png"},
	}); err != nil {
		t.Fatal(err)
	}
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.MarkAssetUnavailable(never, "not at the source"); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	c, _ := db.AssetCompleteness(ctx, "s_prune001")
	if want := "1 of 2 stored; 1 missing: not at the source"; c.Summary != want {
		t.Errorf("Summary = %q, want %q", c.Summary, want)
	}
	n, err := db.PruneAssets(ctx)
	if err != nil || n != 1 {
		t.Fatalf("PruneAssets = %d, %v; want the one unreferenced body", n, err)
	}
	if has, _ := db.HasAsset(ctx, digestOf(gone)); has {
		t.Error("an unreferenced body survived pruning")
	}
	// Deleting the session drops its manifest; its bodies then prune.
	if _, err := db.DB().ExecContext(ctx, `DELETE FROM sessions WHERE id = 's_prune001'`); err != nil {
		t.Fatal(err)
	}
	if refs, _ := db.SessionAssets(ctx, "s_prune001"); len(refs) != 0 {
		t.Errorf("manifest of a deleted session: %+v", refs)
	}
	if n, _ := db.PruneAssets(ctx); n != 1 {
		t.Errorf("PruneAssets after deleting the session = %d, want 1", n)
	}
}
