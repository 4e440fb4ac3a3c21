package pull

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/sync/source"
)

// TestStreamedArchivesMatchInMemory imports the same archives read whole
// and read as a stream (the in-memory bound made tiny so every archive
// takes the second path), by `loupe import` and by a folder sync: facts
// and replays are identical.
func TestStreamedArchivesMatchInMemory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var ids []string
	err := generate.Each(generate.Options{Seed: 21, Sessions: 12}, func(i int, s generate.Session) error {
		ids = append(ids, s.Header.Session)
		return writeArchive(filepath.Join(dir, fmt.Sprintf("%03d", i)), s)
	})
	if err != nil {
		t.Fatal(err)
	}
	whole, streamed := openWorkspace(t), openWorkspace(t)
	wholeSync, streamedSync := openWorkspace(t), openWorkspace(t)
	src, err := source.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, stream := range []bool{false, true} {
		files, synced := whole, wholeSync
		if stream {
			files, synced = streamed, streamedSync
			saved := inMemoryEvents
			inMemoryEvents = 1 << 10
			defer func() { inMemoryEvents = saved }()
		}
		if _, err := ImportFiles(ctx, files, []string{dir}, nil); err != nil {
			t.Fatal(err)
		}
		if rep, err := Sync(ctx, src, synced, Options{Source: source.Name(dir)}); err != nil || rep.Imported != len(ids) {
			t.Fatalf("sync: %+v, %v", rep, err)
		}
	}
	for _, id := range ids {
		wf, err1 := whole.Facts(ctx, id)
		sf, err2 := streamed.Facts(ctx, id)
		yf, err3 := streamedSync.Facts(ctx, id)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("session %s: %v %v %v", id, err1, err2, err3)
		}
		if !reflect.DeepEqual(wf, sf) || !reflect.DeepEqual(wf, yf) {
			t.Errorf("session %s: facts differ when the archive is read as a stream", id)
		}
		we, _ := whole.ReplayEvents(ctx, id)
		se, _ := streamed.ReplayEvents(ctx, id)
		ye, _ := streamedSync.ReplayEvents(ctx, id)
		if len(we) == 0 || !reflect.DeepEqual(we, se) || !reflect.DeepEqual(we, ye) {
			t.Errorf("session %s: replay differs when the archive is read as a stream (%d, %d, %d events)", id, len(we), len(se), len(ye))
		}
	}
}

// TestInflatedArchiveImportsInBoundedMemory imports, in a process of its
// own, an archive of a few MB on disk whose events inflate to 400 MiB (a
// compression bomb of the kind one visitor can make): it is imported
// whole, and the process's peak resident memory stays within the
// import's memory limit plus a margin for what is not Go heap (SQLite's
// page cache, stacks), far below what the events take inflated.
func TestInflatedArchiveImportsInBoundedMemory(t *testing.T) {
	if os.Getenv("LOUPE_TEST_IMPORT_ONE") != "" {
		t.Skip("the child's own run")
	}
	if testing.Short() {
		t.Skip("writes and imports 400 MiB of events")
	}
	const events, eventBytes = 200, 2 << 20
	dir := t.TempDir()
	path := filepath.Join(dir, "s_inflated.loupe")
	writeInflated(t, path, events, eventBytes)
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportOneChild$", "-test.v")
	cmd.Env = append(os.Environ(), "LOUPE_TEST_IMPORT_ONE="+path, "LOUPE_TEST_IMPORT_WS="+filepath.Join(dir, "workspace.db"))
	out, err := cmd.CombinedOutput()
	if want := fmt.Sprintf("imported %d events", events); err != nil || !bytes.Contains(out, []byte(want)) {
		t.Fatalf("child import: %v\n%s", err, out)
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB
	fi, _ := os.Stat(path)
	t.Logf("a %d KiB archive of %d MiB of events imported with a peak RSS of %d MiB", fi.Size()>>10, events*eventBytes>>20, peak>>20)
	if limit := int64(ImportMemoryLimit + 64<<20); peak > limit {
		t.Errorf("peak RSS %d MiB importing %d MiB of events; want at most %d MiB", peak>>20, events*eventBytes>>20, limit>>20)
	}
}

// TestImportOneChild is the child of TestInflatedArchiveImportsInBoundedMemory.
func TestImportOneChild(t *testing.T) {
	path := os.Getenv("LOUPE_TEST_IMPORT_ONE")
	if path == "" {
		t.Skip("run by TestInflatedArchiveImportsInBoundedMemory")
	}
	defer TuneGCForImport()()
	db := openWorkspaceAt(t, os.Getenv("LOUPE_TEST_IMPORT_WS"))
	res, err := ImportFiles(context.Background(), db, []string{path}, nil)
	if err != nil || len(res) != 1 || res[0].Status != "imported" {
		t.Fatalf("import: %+v, %v", res, err)
	}
	fmt.Printf("imported %d events\n", res[0].Events)
}

// writeInflated writes an archive of n text-mutation events of size bytes
// each, which compress to almost nothing.
func writeInflated(t *testing.T, path string, n, size int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "shop", Session: "s_inflated",
		Visitor: "v_inflated", StartedAt: time.Unix(1, 0), EndedAt: time.Unix(2, 0), Pages: []string{"/"}}
	w, err := archive.NewWriter(f, h)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("a", size-80)
	for i := range n {
		if err := w.Write(json.RawMessage(fmt.Sprintf(`{"type":3,"data":{"source":0,"texts":[{"id":1,"value":"%s"}]},"timestamp":%d}`, big, 1000+i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
