package desktop

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
)

// feedbackWorkspace imports the scroll fixture twice, each copy with a
// loupe/feedback Custom event, so the binding reads derived responses.
func feedbackWorkspace(t *testing.T) *workspace.DB {
	t.Helper()
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatalf("open workspace: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	for _, r := range []struct {
		id      string
		payload string
	}{
		{"low", `{"tag":"loupe/feedback","payload":{"kind":"csat","score":1,"comment":"Broken <script>x</script>"}}`},
		{"high", `{"tag":"loupe/feedback","payload":{"kind":"nps","score":10}}`},
	} {
		events := readFixture(t, "scroll")
		at := events[0].Timestamp + 100
		events = append(events[:1], append([]rrweb.Event{{Type: rrweb.Custom, Data: json.RawMessage(r.payload), Timestamp: at}}, events[1:]...)...)
		h := archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "fixtures", Session: r.id,
			Visitor: "v_" + r.id, StartedAt: time.UnixMilli(events[0].Timestamp).UTC(),
			EndedAt: time.UnixMilli(events[len(events)-1].Timestamp).UTC(), Source: "rrweb-import"}
		if _, err := db.Import(ctx, h, events, nil, r.id+".json", ""); err != nil {
			t.Fatalf("import %s: %v", r.id, err)
		}
	}
	return db
}

func TestFeedbackBinding(t *testing.T) {
	f := NewFeedback(feedbackWorkspace(t))
	two := 2
	tests := []struct {
		name string
		q    FeedbackFilter
		want []string
	}{
		{"all", FeedbackFilter{}, []string{"low", "high"}},
		{"csat", FeedbackFilter{Kind: "csat"}, []string{"low"}},
		{"max score", FeedbackFilter{MaxScore: &two}, []string{"low"}},
		{"text", FeedbackFilter{Text: " SCRIPT "}, []string{"low"}},
		{"segment", FeedbackFilter{Segment: "nps >= 9"}, []string{"high"}},
		{"future", FeedbackFilter{FromMS: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := f.List(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range page.Responses {
				got = append(got, r.Session)
			}
			if len(got) != len(tt.want) || page.Total != len(tt.want) {
				t.Fatalf("sessions = %v (total %d), want %v", got, page.Total, tt.want)
			}
			for _, id := range tt.want {
				found := false
				for _, g := range got {
					found = found || g == id
				}
				if !found {
					t.Errorf("sessions = %v, want %v", got, tt.want)
				}
			}
		})
	}
	sum, err := f.Summary(FeedbackFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Count != 2 || sum.CSATAverage != 1 || sum.NPS != 100 {
		t.Errorf("summary = %+v, want 2 responses, CSAT 1, NPS 100", sum)
	}
	low, err := f.List(FeedbackFilter{Kind: "csat"})
	if err != nil || len(low.Responses) != 1 || low.Responses[0].OffsetMS != 100 || low.Responses[0].Comment != "Broken <script>x</script>" {
		t.Errorf("csat responses = %+v, %v; want one at 100 ms with its comment intact", low.Responses, err)
	}
}

func TestFeedbackBindingRejects(t *testing.T) {
	f := NewFeedback(feedbackWorkspace(t))
	for _, q := range []FeedbackFilter{{Kind: "ces"}, {Limit: -1}, {FromMS: 10, ToMS: 5}, {Segment: "csat ~ 2"}} {
		_, err := f.List(q)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeInvalid {
			t.Errorf("List(%+v) error = %v, want code %s", q, err, CodeInvalid)
		}
	}
}
