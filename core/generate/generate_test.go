package generate

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/rrweb"
)

func TestDeterministic(t *testing.T) {
	a := Sessions(Options{Seed: 7, Sessions: 50})
	b := Sessions(Options{Seed: 7, Sessions: 50})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different sessions")
	}
	c := Sessions(Options{Seed: 8, Sessions: 50})
	if reflect.DeepEqual(a[0].Facts, c[0].Facts) {
		t.Error("different seeds gave the same first session")
	}
	// Session i does not depend on the total.
	d := Sessions(Options{Seed: 7, Sessions: 10})
	if !reflect.DeepEqual(a[9], d[9]) {
		t.Error("session 9 changed with the number of sessions")
	}
}

func TestSummaryMatchesFacts(t *testing.T) {
	for _, s := range Sessions(Options{Seed: 1, Sessions: 300}) {
		f := s.Facts
		ss := f.Session
		if ss.Pageviews != len(f.Pageviews) || len(ss.Pages) != len(f.Pageviews) || ss.Pageviews == 0 {
			t.Fatalf("%s: pageviews %d, pages %d, facts %d", ss.ID, ss.Pageviews, len(ss.Pages), len(f.Pageviews))
		}
		if ss.Clicks != len(f.Clicks) || ss.JSErrors != len(f.Errors) {
			t.Fatalf("%s: clicks %d/%d errors %d/%d", ss.ID, ss.Clicks, len(f.Clicks), ss.JSErrors, len(f.Errors))
		}
		if ss.Events != len(s.Events) {
			t.Fatalf("%s: Events %d, stream has %d", ss.ID, ss.Events, len(s.Events))
		}
		metas := 0
		for i, e := range s.Events {
			if i > 0 && e.Timestamp < s.Events[i-1].Timestamp {
				t.Fatalf("%s: event %d goes back in time", ss.ID, i)
			}
			if e.Type == rrweb.Meta {
				metas++
			}
		}
		if metas != ss.Pageviews {
			t.Fatalf("%s: %d Meta events for %d pageviews", ss.ID, metas, ss.Pageviews)
		}
		var last int64 = -1
		for _, c := range f.Clicks {
			if c.OffsetMS < last || c.OffsetMS > ss.DurationMS {
				t.Fatalf("%s: click at %d out of order or past the end %d", ss.ID, c.OffsetMS, ss.DurationMS)
			}
			last = c.OffsetMS
		}
		if _, err := json.Marshal(f); err != nil {
			t.Fatal(err)
		}
	}
}

// checkoutDrop is the share of sessions reaching /checkout that never
// reach /thanks, for one device class.
func checkoutDrop(facts []*core.Facts, device string) float64 {
	reached, left := 0, 0
	for _, f := range facts {
		if f.Session.Device != device {
			continue
		}
		var co, th bool
		for _, p := range f.Pageviews {
			co = co || p.Path == "/checkout"
			th = th || p.Path == "/thanks"
		}
		if co {
			reached++
			if !th {
				left++
			}
		}
	}
	return float64(left) / float64(max(reached, 1))
}

func TestPlantedMobileCheckoutDrop(t *testing.T) {
	plain := Facts(Options{Seed: 3, Sessions: 6000})
	planted := Facts(Options{Seed: 3, Sessions: 6000, Effects: Effects{MobileCheckoutDrop: 3}})
	base := checkoutDrop(plain, core.DeviceMobile)
	got := checkoutDrop(planted, core.DeviceMobile)
	desk := checkoutDrop(planted, core.DeviceDesktop)
	if ratio := got / desk; ratio < 2.2 || ratio > 3.8 {
		t.Errorf("mobile/desktop checkout drop = %.2f/%.2f = %.2f, want about 3", got, desk, ratio)
	}
	if ratio := base / desk; ratio < 0.6 || ratio > 1.5 {
		t.Errorf("without the effect mobile/desktop drop = %.2f, want about 1", ratio)
	}
}

func TestRates(t *testing.T) {
	var events, sessions, rage, dead, mobile, failed int
	for _, s := range Sessions(Options{Seed: 5, Sessions: 2000}) {
		sessions++
		events += len(s.Events)
		rage += min(1, s.Facts.Session.RageClicks)
		dead += min(1, s.Facts.Session.DeadClicks)
		failed += min(1, s.Facts.Session.FailedReqs)
		if s.Facts.Session.Device == core.DeviceMobile {
			mobile++
		}
	}
	per := float64(events) / float64(sessions)
	t.Logf("events/session %.1f, rage %d, dead %d, failed %d, mobile %d of %d", per, rage, dead, failed, mobile, sessions)
	if per < 40 || per > 250 {
		t.Errorf("events per session = %.1f, want a realistic 40..250", per)
	}
	share := func(n int) float64 { return float64(n) / float64(sessions) }
	if r := share(rage); r < 0.02 || r > 0.25 {
		t.Errorf("sessions with rage clicks = %.3f, want a plausible 0.02..0.25", r)
	}
	if r := share(dead); r < 0.05 || r > 0.6 {
		t.Errorf("sessions with dead clicks = %.3f, want a plausible 0.05..0.6", r)
	}
	if r := share(mobile); r < 0.3 || r > 0.46 {
		t.Errorf("mobile share = %.3f, want about 0.38", r)
	}
}
