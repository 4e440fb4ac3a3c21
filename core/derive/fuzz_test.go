package derive

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/rrweb/rrwebtest"
)

// FuzzDerive derives facts from arbitrary recordings: never a panic, and
// the facts stay consistent with the stream whatever it holds.
func FuzzDerive(f *testing.F) {
	corpus, _ := filepath.Glob(filepath.Join(rrwebtest.CorpusDir(f), "*.json"))
	cases, _ := filepath.Glob(filepath.Join("testdata", "signals", "*.json"))
	for _, path := range corpus {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	for _, path := range cases {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		var c struct{ Events json.RawMessage }
		if err := json.Unmarshal(b, &c); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(c.Events))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := rrweb.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		defs := core.Default()
		defs.RageWindow = 2 * time.Second
		facts := Session(archive.Header{Session: "fuzz"}, events, defs)
		s := facts.Session
		metas := 0
		for _, e := range events {
			if e.Type == rrweb.Meta {
				metas++
			}
		}
		if s.Pageviews > metas || s.Events != len(events) || s.DurationMS < 0 {
			t.Fatalf("pageviews %d of %d metas, events %d of %d, duration %d", s.Pageviews, metas, s.Events, len(events), s.DurationMS)
		}
		for _, p := range facts.Pageviews {
			if p.DwellMS < 0 || p.ScrollPct > 100 || (p.ScrollPct < 0 && p.ScrollPct != -1) {
				t.Fatalf("pageview %+v", p)
			}
		}
		rage := 0
		for _, c := range facts.Clicks {
			if c.Rage {
				rage++
			}
			if (c.RelX != -1 && (c.RelX < 0 || c.RelX > 1)) || (c.RelY != -1 && (c.RelY < 0 || c.RelY > 1)) {
				t.Fatalf("click %+v", c)
			}
		}
		if rage < s.RageClicks*defs.RageClicks {
			t.Fatalf("%d rage bursts but %d rage clicks", s.RageClicks, rage)
		}
		if _, err := json.Marshal(facts); err != nil {
			t.Fatalf("facts do not encode: %v", err)
		}
	})
}
