package derive

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/rrweb/rrwebtest"
)

// plainImport is the header a plain rrweb export gets: only its session id
// (the file name) and its source.
func plainImport(path string) archive.Header {
	return archive.Header{Session: strings.TrimSuffix(filepath.Base(path), ".json"), Source: "rrweb-import"}
}

// Every recording in rrweb's own corpus derives without panic, with one
// pageview per Meta event, the clicks rrweb recorded, and a sane clock.
func TestCorpusDerives(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(rrwebtest.CorpusDir(t), "*.json"))
	if len(files) < 30 {
		t.Fatalf("found %d corpus files, want at least 30", len(files))
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			events := rrwebtest.Events(t, path)
			f := Session(plainImport(path), events, core.Default())
			metas, clicks := 0, 0
			var first int64
			for i, e := range events {
				if i == 0 {
					first = e.Timestamp
				}
				if e.Type == rrweb.Meta {
					metas++
				}
				if inc, err := e.DecodeIncremental(); err == nil && inc.Source == rrweb.SourceMouseInteraction && inc.Type == rrweb.Click {
					clicks++
				}
			}
			s := f.Session
			if s.Pageviews != metas || len(s.Pages) != metas || len(s.URLs) != metas {
				t.Errorf("pageviews: got %d (pages %v), want %d", s.Pageviews, s.Pages, metas)
			}
			if s.Clicks != clicks {
				t.Errorf("clicks: got %d, want %d", s.Clicks, clicks)
			}
			if s.Events != len(events) || s.ID != strings.TrimSuffix(name, ".json") {
				t.Errorf("events %d id %q, want %d %q", s.Events, s.ID, len(events), strings.TrimSuffix(name, ".json"))
			}
			if !s.StartedAt.Equal(msTime(first)) {
				t.Errorf("started_at: got %v, want the first event's %v", s.StartedAt, msTime(first))
			}
			if s.DurationMS < 0 || s.DurationMS > 24*3600*1000 {
				t.Errorf("duration %d ms is not plausible", s.DurationMS)
			}
			var dwell int64
			for i, p := range f.Pageviews {
				if p.Path == "" || p.DwellMS < 0 || p.Index != i {
					t.Errorf("pageview %d: %+v", i, p)
				}
				dwell += p.DwellMS
			}
			if len(f.Pageviews) > 0 && dwell != s.DurationMS-f.Pageviews[0].OffsetMS {
				t.Errorf("dwell times add up to %d, want %d", dwell, s.DurationMS-f.Pageviews[0].OffsetMS)
			}
			for _, c := range f.Clicks {
				if c.Selector == "" || c.Tag == "" {
					t.Errorf("click not resolved to an element: %+v", c)
				}
			}
			if len(f.Uninterpreted) > 0 {
				t.Logf("uninterpreted: %v", f.Uninterpreted)
			}
		})
	}
}
