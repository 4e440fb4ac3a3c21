package insight

import (
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
)

// chance is a deterministic coin for planting effects: the same session
// and salt always give the same answer.
func chance(id, salt string, p float64) bool {
	h := fnv.New64a()
	h.Write([]byte(id + "/" + salt))
	return float64(h.Sum64()%10000)/10000 < p
}

func significant(r *Report) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Significant {
			out = append(out, f)
		}
	}
	return out
}

func checkTop(t *testing.T, r *Report, wantKey string) Finding {
	t.Helper()
	if len(r.Findings) == 0 {
		t.Fatalf("no findings; want %s first", wantKey)
	}
	top := r.Findings[0]
	if top.Key != wantKey || !top.Significant {
		var keys []string
		for _, f := range r.Findings {
			keys = append(keys, f.Key)
		}
		t.Fatalf("top finding = %s (significant %v), want %s\nall: %s", top.Key, top.Significant, wantKey, strings.Join(keys, "\n     "))
	}
	if n := len(top.Sentences); n < 2 || n > 3 {
		t.Errorf("top finding has %d sentences, want 2-3: %q", n, top.Sentences)
	}
	if n := len(top.Evidence.Samples); n < 3 || n > 5 {
		t.Errorf("top finding has %d sample sessions, want 3-5", n)
	}
	for _, m := range top.Evidence.Samples {
		// Tags carry no time: their moment is the session's start.
		if m.Session == "" || m.OffsetMS < 0 || (top.Kind != KindTag && m.OffsetMS == 0) {
			t.Errorf("sample %+v has no session or moment", m)
		}
	}
	if len(top.Evidence.Figures) == 0 || top.Evidence.Chart == nil || len(top.Evidence.Chart.Values) == 0 {
		t.Errorf("top finding lacks figures or a chart: %+v", top.Evidence)
	}
	return top
}

func TestPlantedMobileCheckoutDropIsTop(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 7, Sessions: 3000, Effects: generate.Effects{MobileCheckoutDrop: 3}})
	r := Scan(fs, Options{})
	if got, want := strings.Join(r.Funnel, " > "), "page:/products/* > page:/cart > page:/checkout > event:purchase"; got != want {
		t.Errorf("inferred funnel = %s, want %s", got, want)
	}
	top := checkTop(t, r, "drop_segment:page:/checkout:device=mobile")
	if top.Segment != "device = mobile" {
		t.Errorf("segment = %q, want device = mobile", top.Segment)
	}
	if _, err := segment.Parse(top.Segment); err != nil {
		t.Errorf("segment %q does not parse: %v", top.Segment, err)
	}
	// Android and iOS users drop off too, but only because they are on
	// phones: the stronger mobile finding explains them.
	for _, f := range significant(r) {
		if strings.Contains(f.Key, "os=Android") || strings.Contains(f.Key, "os=iOS") {
			t.Errorf("finding %s is explained by the mobile one and should be dropped", f.Key)
		}
	}
}

func TestNoEffectClaimsNothing(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		fs := generate.Facts(generate.Options{Seed: seed, Sessions: 2000})
		r := Scan(fs, Options{})
		if sig := significant(r); len(sig) > 0 {
			t.Errorf("seed %d: no effect planted, yet claimed %s: %s", seed, sig[0].Key, sig[0].Title)
		}
		if r.Tests == 0 {
			t.Errorf("seed %d: no tests run", seed)
		}
	}
}

func TestPlantedBrowserRageIsTop(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 11, Sessions: 3000})
	planted := 0
	for _, f := range fs {
		if f.Session.Browser != "Safari" {
			continue
		}
		for i := range f.Clicks {
			c := &f.Clicks[i]
			if c.Selector == "button.add-to-cart" && !c.Rage && chance(f.Session.ID, "rage", 0.5) {
				c.Rage = true
				f.Session.RageClicks++
				planted++
			}
		}
	}
	if planted < 50 {
		t.Fatalf("planted only %d rage clicks", planted)
	}
	r := Scan(fs, Options{})
	top := checkTop(t, r, "concentrated:rage:button.add-to-cart on /products/*:browser=Safari")
	if top.Evidence.Selector != "button.add-to-cart" || top.Evidence.Page != "/products/*" {
		t.Errorf("evidence points at %s on %s", top.Evidence.Selector, top.Evidence.Page)
	}
}

func TestPlantedErrorAbandonmentIsTop(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 5, Sessions: 3000})
	for _, f := range fs {
		atCheckout, paid := int64(-1), false
		for _, pv := range f.Pageviews {
			if pv.Path == "/checkout" {
				atCheckout = pv.OffsetMS
			}
		}
		for _, e := range f.CustomEvents {
			paid = paid || e.Name == "purchase"
		}
		p := 0.02
		if !paid {
			p = 0.45
		}
		if atCheckout >= 0 && chance(f.Session.ID, "err", p) {
			f.Errors = append(f.Errors, core.JSError{OffsetMS: atCheckout + 900, Path: "/checkout", Message: "PaymentError: gateway timeout"})
		}
	}
	r := Scan(fs, Options{})
	checkTop(t, r, "error_abandon:error:PaymentError: gateway timeout on /checkout")
}

func TestPlantedTagSpikeInPeriod(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fs := generate.Facts(generate.Options{Seed: 9, Sessions: 3000, Start: start, Days: 14})
	from, to := start.AddDate(0, 0, 7), start.AddDate(0, 0, 14)
	for _, f := range fs {
		p := 0.01
		if !f.Session.StartedAt.Before(from) {
			p = 0.12
		}
		if chance(f.Session.ID, "tag", p) {
			f.Session.Tags = append(f.Session.Tags, "coupon_failed")
		}
	}
	r := Scan(fs, Options{From: from, To: to})
	if r.Previous == 0 || r.Sessions == 0 || r.Sessions+r.Previous != len(fs) {
		t.Errorf("period split: %d now, %d before, of %d", r.Sessions, r.Previous, len(fs))
	}
	top := checkTop(t, r, "tag_spike:coupon_failed")
	if top.Segment != "tag = coupon_failed" {
		t.Errorf("segment = %q", top.Segment)
	}
}

func TestSmallSampleClaimsNothing(t *testing.T) {
	// A huge planted effect on too few sessions: never a claim.
	fs := generate.Facts(generate.Options{Seed: 3, Sessions: 60, Effects: generate.Effects{MobileCheckoutDrop: 5}})
	r := Scan(fs, Options{})
	if sig := significant(r); len(sig) > 0 {
		t.Errorf("claimed %s from %d sessions", sig[0].Key, len(fs))
	}
}

func TestSegmentNarrowsScan(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 7, Sessions: 1000})
	r := Scan(fs, Options{Segment: segment.MustParse("device = desktop")})
	want := 0
	for _, f := range fs {
		if f.Session.Device == core.DeviceDesktop {
			want++
		}
	}
	if r.Sessions != want {
		t.Errorf("scanned %d sessions, want the %d desktop ones", r.Sessions, want)
	}
}

func TestDeterministic(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 7, Sessions: 1500, Effects: generate.Effects{MobileCheckoutDrop: 3}})
	a, b := Scan(fs, Options{}), Scan(fs, Options{})
	if len(a.Findings) != len(b.Findings) {
		t.Fatalf("two scans found %d and %d", len(a.Findings), len(b.Findings))
	}
	for i := range a.Findings {
		if a.Findings[i].Key != b.Findings[i].Key || strings.Join(a.Findings[i].Sentences, "") != strings.Join(b.Findings[i].Sentences, "") {
			t.Errorf("finding %d differs: %s vs %s", i, a.Findings[i].Key, b.Findings[i].Key)
		}
	}
}

func TestScanOddFacts(t *testing.T) {
	odd := []*core.Facts{
		{},
		{Session: core.Session{ID: "s_a1", StartedAt: time.Unix(0, 0)}},
		{Session: core.Session{ID: "s_a2", Tags: []string{"", "x", "x"}}, Pageviews: []core.Pageview{{Path: "", ScrollPct: -1}, {Path: "/a/b/c/", DwellMS: -5}},
			Clicks: []core.Click{{Selector: ""}, {Selector: "a", Rage: true, Dead: true, Error: true}},
			Errors: []core.JSError{{Message: strings.Repeat("x", 5000)}}, Requests: []core.Request{{Failed: true, URL: "::not a url"}},
			CustomEvents: []core.CustomEvent{{Name: "purchase", Pageview: 99}}},
	}
	for _, opt := range []Options{{}, {Funnel: []string{"page:/a*", "event:purchase"}}, {From: time.Unix(0, 0), To: time.Unix(10, 0)}} {
		r := Scan(odd, opt)
		if sig := significant(r); len(sig) > 0 {
			t.Errorf("claimed %s from three odd sessions", sig[0].Key)
		}
	}
	if r := Scan(nil, Options{}); r.Sessions != 0 || len(r.Findings) != 0 {
		t.Errorf("empty scan = %+v", r)
	}
}

func TestFeedbackFinding(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 2, Sessions: 500})
	n := 0
	for _, f := range fs {
		for _, pv := range f.Pageviews {
			if pv.Path != "/checkout" && pv.Path != "/thanks" {
				continue
			}
			score, comment := 5, ""
			if pv.Path == "/checkout" {
				score, comment = 2, "the card form keeps failing"
			}
			f.Feedback = append(f.Feedback, core.Feedback{OffsetMS: pv.OffsetMS + 5000, Path: pv.Path, Kind: "csat", Score: score, Comment: comment})
			n++
		}
	}
	r := Scan(fs, Options{})
	var got *Finding
	for i, f := range r.Findings {
		if f.Kind == KindFeedback {
			got = &r.Findings[i]
		}
	}
	if got == nil || got.Key != "feedback:csat:/checkout" || got.Significant {
		t.Fatalf("feedback finding = %+v (of %d responses)", got, n)
	}
	if len(got.Evidence.Samples) == 0 || !strings.Contains(got.Evidence.Samples[0].Note, "card form") {
		t.Errorf("samples %+v do not lead with a comment", got.Evidence.Samples)
	}
}
