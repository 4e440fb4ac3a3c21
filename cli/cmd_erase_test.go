package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/file"
)

func TestEraseCommandDeletesTheVisitorsArchives(t *testing.T) {
	dir := t.TempDir()
	st, err := file.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{"v_keep", "v_gone", "v_keep", "v_gone"} {
		var buf bytes.Buffer
		w, _ := archive.NewWriter(&buf, archive.Header{Site: "shop", Session: fmt.Sprintf("s_%04d", i), Visitor: v,
			StartedAt: time.Unix(1764158400, 0), EndedAt: time.Unix(1764158401, 0), Pages: []string{"/"}})
		w.Write(json.RawMessage(`{"type":4,"data":{"href":"https://shop.test/","width":800,"height":600},"timestamp":1764158400000}`))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := st.Put(context.Background(), fmt.Sprintf("s_%04d.loupe", i), &buf, -1, w.Sum()); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := runCLI(t, "erase", "--from", "file://"+dir, "--visitor", "v_gone", "--dry-run")
	if err != nil || !strings.Contains(out, "would delete s_0001.loupe") || !strings.Contains(out, "2 of 4 archives") {
		t.Fatalf("dry run: %q, %v", out, err)
	}
	out, _, err = runCLI(t, "erase", "--from", dir, "--visitor", "v_gone")
	if err != nil || !strings.Contains(out, "deleted s_0003.loupe") {
		t.Fatalf("erase: %q, %v", out, err)
	}
	left, _ := st.List(context.Background(), "", 0)
	if len(left) != 2 || left[0].Key != "s_0000.loupe" || left[1].Key != "s_0002.loupe" {
		t.Errorf("left in the store: %+v", left)
	}
	if _, _, err := runCLI(t, "erase", "--from", "http://127.0.0.1:1", "--visitor", "v"); err == nil || !strings.Contains(err.Error(), "cannot delete") {
		t.Errorf("erase from a collector URL = %v", err)
	}
}
