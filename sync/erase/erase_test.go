package erase

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/file"
)

func putArchive(t *testing.T, st archive.Store, key, session, visitor string) {
	t.Helper()
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, archive.Header{Site: "shop", Session: session, Visitor: visitor,
		StartedAt: time.Unix(1764158400, 0), EndedAt: time.Unix(1764158460, 0), Pages: []string{"/"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(json.RawMessage(`{"type":4,"data":{"href":"https://shop.test/","width":800,"height":600},"timestamp":1764158400000}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(context.Background(), key, bytes.NewReader(buf.Bytes()), int64(buf.Len()), w.Sum()); err != nil {
		t.Fatal(err)
	}
}

func TestEraseVisitorFromFileStore(t *testing.T) {
	dir := t.TempDir()
	st, err := file.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		visitor := "v_other"
		if i%3 == 0 {
			visitor = "v_erase_me"
		}
		putArchive(t, st, fmt.Sprintf("2026/12/0%d/s_%05d.loupe", i+1, i), fmt.Sprintf("s_%05d", i), visitor)
	}
	// A broken file is reported, not silently skipped.
	os.MkdirAll(filepath.Join(dir, "2026", "12", "09"), 0o755)
	os.WriteFile(filepath.Join(dir, "2026", "12", "09", "broken.loupe"), []byte("not gzip"), 0o644)

	ctx := context.Background()
	dry, err := Run(ctx, st, ByVisitor("v_erase_me"), true, nil)
	if err != nil || len(dry.Matched) != 2 || dry.Deleted != 0 {
		t.Fatalf("dry run = %+v, %v", dry, err)
	}
	res, err := Run(ctx, st, ByVisitor("v_erase_me"), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 2 || res.Scanned != 7 || !slices.Equal(res.Unreadable, []string{"2026/12/09/broken.loupe"}) {
		t.Errorf("erase = %+v; want 2 deleted of 7 scanned, the broken file reported", res)
	}
	left, _ := st.List(ctx, "", 0)
	if len(left) != 5 {
		t.Errorf("%d archives left, want 5", len(left))
	}
	again, err := Run(ctx, st, ByVisitor("v_erase_me"), false, nil)
	if err != nil || len(again.Matched) != 0 {
		t.Errorf("a second erasure found %+v, %v", again, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "2026", "12", "01", "s_00000.loupe.sha256")); !os.IsNotExist(err) {
		t.Errorf("the digest sidecar of an erased archive is still there: %v", err)
	}
}
