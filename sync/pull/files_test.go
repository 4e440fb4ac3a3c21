package pull

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
)

// corpusDir finds ../shared/corpus/rrweb-fixtures beside the repository.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		c := filepath.Join(d, "shared", "corpus", "rrweb-fixtures")
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c
		}
		if filepath.Dir(d) == d {
			t.Fatalf("shared/corpus/rrweb-fixtures not found above %s", dir)
		}
	}
}

// countEvents is the independent count: Meta events are pageviews and
// MouseInteraction Click incremental events are clicks.
func countEvents(t *testing.T, path string) (events, metas, clicks int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Type int `json:"type"`
		Data struct {
			Source *int `json:"source"`
			Type   *int `json:"type"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, e := range raw {
		switch {
		case e.Type == 4:
			metas++
		case e.Type == 3 && e.Data.Source != nil && *e.Data.Source == 2 && e.Data.Type != nil && *e.Data.Type == 2:
			clicks++
		}
	}
	return len(raw), metas, clicks
}

func TestImportRRWebCorpus(t *testing.T) {
	ctx := context.Background()
	dir := corpusDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s: %v", dir, err)
	}
	db := openWorkspace(t)
	var last Progress
	results, err := ImportFiles(ctx, db, paths, func(p Progress) { last = p })
	if err != nil {
		t.Fatalf("ImportFiles: %v", err)
	}
	if len(results) != len(paths) || last.Done != len(paths) || last.Imported != len(paths) {
		t.Errorf("%d results, progress %+v; want %d imported", len(results), last, len(paths))
	}
	for _, r := range results {
		name := filepath.Base(r.Path)
		t.Run(name, func(t *testing.T) {
			if r.Status != "imported" {
				t.Fatalf("status %q (%s), want imported", r.Status, r.Error)
			}
			wantID := strings.TrimSuffix(name, ".json")
			if r.Session != wantID {
				t.Errorf("session id %q, want %q", r.Session, wantID)
			}
			events, metas, clicks := countEvents(t, r.Path)
			s, err := db.Session(ctx, wantID)
			if err != nil {
				t.Fatal(err)
			}
			if s.Pageviews != metas || len(s.Pages) != metas {
				t.Errorf("pageviews = %d (pages %v), want %d Meta events", s.Pageviews, s.Pages, metas)
			}
			if s.Clicks != clicks {
				t.Errorf("clicks = %d, want %d Click events", s.Clicks, clicks)
			}
			if s.Events != events {
				t.Errorf("events = %d, want %d", s.Events, events)
			}
			replay, err := db.ReplayEvents(ctx, wantID)
			if err != nil || len(replay) != events {
				t.Errorf("replay holds %d events, %v; want %d", len(replay), err, events)
			}
		})
	}
	// Importing the same files again changes nothing.
	again, err := ImportFiles(ctx, db, []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if strings.HasSuffix(r.Path, ".json") && r.Status != "skipped" {
			t.Errorf("re-import of %s: %s, want skipped", filepath.Base(r.Path), r.Status)
		}
	}
	if n := countSessions(t, db); n != len(paths) {
		t.Errorf("%d sessions after re-import, want %d", n, len(paths))
	}
}

func TestImportFilesBadInput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	archiveBytes, _ := makeArchive(t, "s_arch0001", 0, 2, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	files := map[string]string{
		"object.json":   `{"events":[{"type":4,"data":{"href":"https://ex.test/a?q=1","width":800,"height":600},"timestamp":1000},{"type":99,"data":{},"timestamp":1100},"junk",{"type":3,"data":{"source":2,"type":2,"id":1,"x":1,"y":2},"timestamp":1200}]}`,
		"empty.json":    `[]`,
		"noevents.json": `{"foo":1}`,
		"broken.json":   `[{"type":4,`,
		"text.json":     `hello`,
		"cut.loupe":     string(archiveBytes[:len(archiveBytes)-20]),
		"good.loupe":    string(archiveBytes),
	}
	var paths []string
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		paths = append(paths, p)
	}
	paths = append(paths, filepath.Join(dir, "missing.json"))
	db := openWorkspace(t)
	results, err := ImportFiles(ctx, db, paths, nil)
	if err != nil {
		t.Fatalf("ImportFiles: %v", err)
	}
	status := map[string]FileResult{}
	for _, r := range results {
		status[filepath.Base(r.Path)] = r
	}
	want := map[string]string{"object.json": "imported", "good.loupe": "imported", "empty.json": "failed",
		"noevents.json": "failed", "broken.json": "failed", "text.json": "failed", "cut.loupe": "failed",
		"missing.json": "failed"}
	for name, w := range want {
		r := status[name]
		if r.Status != w {
			t.Errorf("%s: status %q (%s), want %q", name, r.Status, r.Error, w)
		}
		if w == "failed" && r.Error == "" {
			t.Errorf("%s: failed without saying why", name)
		}
	}
	if !errors.Is(status["text.json"].Err(), ErrNotRecording) {
		t.Errorf("text.json: %v, want ErrNotRecording", status["text.json"].Err())
	}
	obj := status["object.json"]
	if obj.Uninterpreted["entry that is not an rrweb event"] != 1 {
		t.Errorf("object.json uninterpreted = %v, want the junk entry counted", obj.Uninterpreted)
	}
	s, err := db.Session(ctx, "object")
	if err != nil {
		t.Fatal(err)
	}
	if s.Site != "ex.test" || s.Pageviews != 1 || len(s.Pages) != 1 || s.Pages[0] != "/a" {
		t.Errorf("object session: site %q pages %v, want ex.test and [/a]", s.Site, s.Pages)
	}
	if n, _ := db.Count(ctx, workspace.SessionQuery{}); n != 2 {
		t.Errorf("%d sessions, want 2 (bad files leave nothing behind)", n)
	}
	h, _, err := db.Replay(ctx, "object")
	if err != nil || h.Source != SourceRRWebImport {
		t.Errorf("header source %q, %v; want %q", h.Source, err, SourceRRWebImport)
	}
}

func FuzzParseExport(f *testing.F) {
	f.Add([]byte(`[{"type":4,"data":{"href":"http://a/b"},"timestamp":1}]`))
	f.Add([]byte(`{"events":[{"type":3,"data":{"source":2,"type":2},"timestamp":1e3}]}`))
	f.Add([]byte(`[1,2,"x",null,{"type":1.5,"timestamp":2}]`))
	f.Add([]byte(`{"events":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, events, _, err := ParseExport(data, "fuzz")
		if err != nil {
			if !errors.Is(err, ErrNotRecording) {
				t.Fatalf("error %v does not match ErrNotRecording", err)
			}
			return
		}
		if len(events) == 0 || h.Session != "fuzz" || h.EndedAt.Before(h.StartedAt) {
			t.Fatalf("accepted with %d events, header %+v", len(events), h)
		}
		// The one-pass decoder and the entry-by-entry one agree on every
		// file both read.
		trimmed := bytes.TrimPrefix(bytes.TrimSpace(data), []byte("\xef\xbb\xbf"))
		if fast, ok := decodeEntries(trimmed); ok {
			raws, err := rawEntries(trimmed)
			if err != nil {
				t.Fatalf("the one-pass decoder read what the other refuses: %v", err)
			}
			a, ua := eventsOf(fast)
			b, ub := eventsOfRaw(raws)
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ua, ub) {
				t.Fatalf("one pass: %v %v; entry by entry: %v %v", a, ua, b, ub)
			}
		}
	})
}
