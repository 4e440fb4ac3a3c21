package desktop

import (
	"net/url"
	"strings"
	"testing"
)

func TestAskReadsSentences(t *testing.T) {
	a := NewAsk(generatedWorkspace(t, 80))
	for _, tc := range []struct {
		sentence    string
		wantSegment string // substring of the segment; "" for none
		wantRoute   string // prefix of the route; "" for a segment
		wantUnknown string // an unknown word, or ""
	}{
		{"mobile users who reached checkout", "device = mobile", "", ""},
		{"mobile users who flibbered", "device = mobile", "", "flibbered"},
		{"why do people drop off at checkout?", "", "#/funnels?", ""},
		{"heatmap of the cart page", "", "#/heatmaps?", ""},
		{"which buttons get the most rage clicks", "", "#/insights", ""},
	} {
		r, err := a.Read(tc.sentence)
		if err != nil {
			t.Errorf("Read(%q): %v", tc.sentence, err)
			continue
		}
		if !strings.Contains(r.Segment, tc.wantSegment) {
			t.Errorf("Read(%q).Segment = %q, want it to hold %q", tc.sentence, r.Segment, tc.wantSegment)
		}
		if tc.wantRoute == "" && r.Route != "" || !strings.HasPrefix(r.Route, tc.wantRoute) {
			t.Errorf("Read(%q).Route = %q, want prefix %q", tc.sentence, r.Route, tc.wantRoute)
		}
		if tc.wantUnknown != "" && !strings.Contains(strings.Join(r.Unknown, " "), tc.wantUnknown) {
			t.Errorf("Read(%q).Unknown = %v, want %q among them", tc.sentence, r.Unknown, tc.wantUnknown)
		}
		if tc.wantUnknown == "" && len(r.Unknown) != 0 {
			t.Errorf("Read(%q).Unknown = %v, want none", tc.sentence, r.Unknown)
		}
		if !strings.HasPrefix(r.Reading, "I read this as") {
			t.Errorf("Read(%q).Reading = %q", tc.sentence, r.Reading)
		}
		if r.Route == "" && (r.Count <= 0 || r.Count >= r.Total) {
			t.Errorf("Read(%q) counts %d of %d, want a strict subset", tc.sentence, r.Count, r.Total)
		}
	}
	if _, err := a.Read("   "); codeOfErr(err) != CodeInvalid {
		t.Errorf("Read(blank) = %v, want invalid", err)
	}
}

// "Drop off at checkout" opens a funnel ending at checkout with the
// drop-offs before it listed: from a saved funnel when one holds the step.
func TestAskRoutesDropOffThroughSavedFunnel(t *testing.T) {
	db := generatedWorkspace(t, 40)
	if _, err := NewFunnels(db).Save(FunnelQuery{Name: "Shop", Steps: []string{"page:/products*", "page:/cart*", "page:/checkout*", "page:/thanks*"}}); err != nil {
		t.Fatal(err)
	}
	r, err := NewAsk(db).Read("why do people drop off at checkout?")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(strings.TrimPrefix(r.Route, "#"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if got := strings.Join(q["step"], " > "); got != "page:/products* > page:/cart* > page:/checkout*" || q.Get("drop") != "1" || u.Path != "/funnels" {
		t.Errorf("route %q: steps %q drop %q", r.Route, got, q.Get("drop"))
	}
}
