package derive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/rrweb/rrwebtest"
)

// recordedDir holds real Chromium recordings of the demo shop with a
// manifest of what each scripted visit did (see its README).
var recordedDir = filepath.Join("testdata", "recorded")

// readRecording loads one recording: Loupe tracker output (gzip NDJSON of
// ingest batches, sorted by seq) or a plain rrweb JSON export.
func readRecording(t testing.TB, path string) (archive.Header, []rrweb.Event) {
	t.Helper()
	if strings.HasSuffix(path, ".json") {
		return plainImport(path), rrwebtest.Events(t, path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var h archive.Header
	var events []rrweb.Event
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var batch struct {
			Site, Session, Visitor, Tracker string
			Events                          json.RawMessage
		}
		if err := json.Unmarshal(sc.Bytes(), &batch); err != nil {
			t.Fatalf("%s: batch: %v", path, err)
		}
		h = archive.Header{Site: batch.Site, Session: batch.Session, Visitor: batch.Visitor,
			TrackerVersion: batch.Tracker, Source: "tracker"}
		evs, err := rrweb.Decode(bytes.NewReader(batch.Events))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		events = append(events, evs...)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return h, events
}

// recordedManifest is testdata/recorded/manifest.json: what each scripted
// visit did, written by the recorder, independently of this package.
type recordedManifest struct {
	Files []struct {
		File      string        `json:"file"`
		Kind      string        `json:"kind"`
		Session   string        `json:"session"`
		Viewport  core.Viewport `json:"viewport"`
		UserAgent string        `json:"user_agent"`
		Expect    struct {
			Pageviews            int `json:"pageviews"`
			Clicks               int `json:"clicks"`
			RageClicks           int `json:"rage_clicks"`
			DeadClicks           int `json:"dead_clicks"`
			ErrorClicks          int `json:"error_clicks"`
			JSErrors             int `json:"js_errors"`
			FailedRequests       int `json:"failed_requests"`
			QuickBacks           int `json:"quick_backs"`
			ExcessiveScrollPages int `json:"excessive_scroll_pages"`
			CustomEvents         int `json:"custom_events"`
			Identifies           int `json:"identifies"`
		} `json:"expect"`
		Secrets []string `json:"secrets"`
	} `json:"files"`
}

// TestRecorded derives every real recording of the demo shop and checks
// the counts against what its script did: each frustration signal has
// positive and negative visits here, in Loupe's own stream and in a plain
// rrweb export of the same visit.
func TestRecorded(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(recordedDir, "manifest.json"))
	if err != nil {
		t.Fatalf("recorded visits: %v", err)
	}
	var m recordedManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if len(m.Files) < 10 {
		t.Fatalf("manifest lists %d recordings, want at least 10", len(m.Files))
	}
	readings := loadReadings(t)
	for _, rec := range m.Files {
		t.Run(rec.File, func(t *testing.T) {
			h, events := readRecording(t, filepath.Join(recordedDir, rec.File))
			if rec.Kind == "loupe-batches" {
				h.UserAgent = rec.UserAgent // the collector adds it at ingest
				if h.Session != rec.Session {
					t.Errorf("session: got %q, want %q", h.Session, rec.Session)
				}
			}
			f := Session(h, events, core.Default())
			s := f.Session
			quick, excessive := 0, 0
			for _, p := range f.Pageviews {
				if p.QuickBack {
					quick++
				}
				if p.ExcessiveScroll {
					excessive++
				}
			}
			want := rec.Expect
			checks := []struct {
				name      string
				got, want int
			}{
				{"pageviews", s.Pageviews, want.Pageviews},
				{"clicks", s.Clicks, want.Clicks},
				{"rage_clicks", s.RageClicks, want.RageClicks},
				{"dead_clicks", s.DeadClicks, want.DeadClicks},
				{"error_clicks", s.ErrorClicks, want.ErrorClicks},
				{"js_errors", s.JSErrors, want.JSErrors},
				{"failed_requests", s.FailedReqs, want.FailedRequests},
				{"quick_backs", quick, want.QuickBacks},
				{"excessive_scroll_pages", excessive, want.ExcessiveScrollPages},
				{"custom_events", len(f.CustomEvents), want.CustomEvents},
				{"identified", boolInt(s.UserID != ""), boolInt(want.Identifies > 0)},
			}
			for _, c := range checks {
				if r, ok := readings[rec.File][c.name]; ok {
					t.Logf("%s: want %d, not the manifest's %d: %s", c.name, r.Count, c.want, r.Why)
					c.want = r.Count
				}
				if c.got != c.want {
					t.Errorf("%s: got %d, want %d", c.name, c.got, c.want)
				}
			}
			if s.Viewport != rec.Viewport {
				t.Errorf("viewport: got %+v, want %+v", s.Viewport, rec.Viewport)
			}
			if rec.Kind == "loupe-batches" {
				wantDevice := core.DeviceDesktop
				switch {
				case rec.Viewport.W < 768:
					wantDevice = core.DeviceMobile
				case rec.Viewport.W < 1024:
					wantDevice = core.DeviceTablet
				}
				if s.Device != wantDevice {
					t.Errorf("device: got %s for a %d px wide viewport (%s)", s.Device, rec.Viewport.W, rec.UserAgent)
				}
				if s.Browser == "" || s.Browser == "Other" || s.OS == "" || s.OS == "Other" {
					t.Errorf("user agent %q read as %s on %s", rec.UserAgent, s.Browser, s.OS)
				}
			}
			for _, c := range f.Clicks {
				if c.Selector == "" || c.Tag == "" || c.Path == "" {
					t.Errorf("click not resolved: %+v", c)
				}
			}
			if rec.Kind == "loupe-batches" && len(f.Clicks) > 0 {
				placed := 0
				for _, c := range f.Clicks {
					if c.RelX >= 0 && c.RelY >= 0 {
						placed++
					}
				}
				if placed < len(f.Clicks)*3/4 {
					t.Errorf("only %d of %d clicks placed in their element (loupe/rect)", placed, len(f.Clicks))
				}
			}
			derived, _ := json.Marshal(f)
			for _, secret := range rec.Secrets {
				if bytes.Contains(derived, []byte(secret)) {
					t.Errorf("typed text %q appears in the derived facts", secret)
				}
			}
			if len(f.Uninterpreted) > 0 {
				t.Logf("uninterpreted: %v", f.Uninterpreted)
			}
		})
	}
}

// reading is one count where the definitions, read exactly, differ from
// the recorder's manifest (testdata/recorded-readings.json).
type reading struct {
	Count int    `json:"count"`
	Why   string `json:"why"`
}

func loadReadings(t *testing.T) map[string]map[string]reading {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "recorded-readings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Files map[string]map[string]reading `json:"files"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("recorded-readings.json: %v", err)
	}
	for file, fields := range r.Files {
		for name, rd := range fields {
			if rd.Why == "" {
				t.Fatalf("recorded-readings.json: %s %s has no reason", file, name)
			}
		}
	}
	return r.Files
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
