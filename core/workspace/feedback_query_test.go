package workspace

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
)

// feedbackWorkspace imports three sessions with hand-made responses:
// s_a (mobile) gave CSAT 2 and 4, s_b (desktop) NPS 10 and 5, s_c none.
func feedbackWorkspace(t *testing.T) *DB {
	t.Helper()
	db := openTemp(t)
	a := factsFor("s_a", "mobile", 30_000, []string{"/", "/checkout"}, 0, nil, "")
	a.Feedback = []core.Feedback{
		{OffsetMS: 12_000, Pageview: 1, Path: "/checkout", Kind: "csat", Score: 2, Comment: "Checkout is <b>slow</b>"},
		{OffsetMS: 20_000, Pageview: 1, Path: "/checkout", Kind: "csat", Score: 4},
	}
	b := factsFor("s_b", "desktop", 90_000, []string{"/", "/products/1"}, 0, nil, "")
	b.Feedback = []core.Feedback{
		{OffsetMS: 3_000, Pageview: 0, Path: "/", Kind: "nps", Score: 10, Comment: "love it"},
		{OffsetMS: 60_000, Pageview: 1, Path: "/products/1", Kind: "nps", Score: 5, Comment: "too SLOW"},
	}
	c := factsFor("s_c", "desktop", 5_000, []string{"/about"}, 0, nil, "")
	c.Feedback = nil
	for _, f := range []*core.Facts{a, b, c} {
		importFacts(t, db, f)
	}
	return db
}

type responseKey struct {
	Session string
	Offset  int64
	Score   int
}

func keys(rs []FeedbackResponse) []responseKey {
	out := []responseKey{}
	for _, r := range rs {
		out = append(out, responseKey{r.Session, r.OffsetMS, r.Score})
	}
	return out
}

func TestFeedbackResponses(t *testing.T) {
	ctx := context.Background()
	db := feedbackWorkspace(t)
	two := 2
	five := 5
	base := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		q         FeedbackQuery
		wantTotal int
		want      []responseKey
	}{
		// s_b starts at base+90s, s_a at base+30s: moments are a 42s, a 50s, b 93s, b 150s.
		{"all newest first", FeedbackQuery{}, 4, []responseKey{{"s_b", 60_000, 5}, {"s_b", 3_000, 10}, {"s_a", 20_000, 4}, {"s_a", 12_000, 2}}},
		{"kind csat", FeedbackQuery{Kind: "csat"}, 2, []responseKey{{"s_a", 20_000, 4}, {"s_a", 12_000, 2}}},
		{"max score 2", FeedbackQuery{MaxScore: &two}, 1, []responseKey{{"s_a", 12_000, 2}}},
		{"nps max 5", FeedbackQuery{Kind: "nps", MaxScore: &five}, 1, []responseKey{{"s_b", 60_000, 5}}},
		{"text ignores case", FeedbackQuery{Text: "slow"}, 2, []responseKey{{"s_b", 60_000, 5}, {"s_a", 12_000, 2}}},
		{"from inclusive", FeedbackQuery{From: base.Add(93 * time.Second)}, 2, []responseKey{{"s_b", 60_000, 5}, {"s_b", 3_000, 10}}},
		{"to exclusive", FeedbackQuery{To: base.Add(50 * time.Second)}, 1, []responseKey{{"s_a", 12_000, 2}}},
		{"segment", FeedbackQuery{Segment: segment.MustParse("device = mobile")}, 2, []responseKey{{"s_a", 20_000, 4}, {"s_a", 12_000, 2}}},
		{"segment on feedback", FeedbackQuery{Segment: segment.MustParse("nps <= 6")}, 2, []responseKey{{"s_b", 60_000, 5}, {"s_b", 3_000, 10}}},
		{"window", FeedbackQuery{Limit: 2, Offset: 1}, 4, []responseKey{{"s_b", 3_000, 10}, {"s_a", 20_000, 4}}},
		{"nothing", FeedbackQuery{Text: "refund"}, 0, []responseKey{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := db.FeedbackResponses(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != tt.wantTotal {
				t.Errorf("total = %d, want %d", page.Total, tt.wantTotal)
			}
			if got := keys(page.Responses); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("responses = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFeedbackResponseFields(t *testing.T) {
	db := feedbackWorkspace(t)
	two := 2
	page, err := db.FeedbackResponses(context.Background(), FeedbackQuery{MaxScore: &two})
	if err != nil {
		t.Fatal(err)
	}
	want := FeedbackResponse{Session: "s_a", StartedAt: time.Date(2026, 11, 1, 10, 0, 30, 0, time.UTC).UnixMilli(),
		OffsetMS: 12_000, Path: "/checkout", Kind: "csat", Score: 2, Comment: "Checkout is <b>slow</b>"}
	if len(page.Responses) != 1 || page.Responses[0] != want {
		t.Errorf("responses = %+v, want [%+v]", page.Responses, want)
	}
}

func TestFeedbackSummary(t *testing.T) {
	ctx := context.Background()
	db := feedbackWorkspace(t)
	got, err := db.FeedbackSummary(ctx, FeedbackQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := FeedbackSummary{Count: 4, Sessions: 2, CSATCount: 2, CSATAverage: 3, NPSCount: 2, NPS: 0,
		Promoters: 1, Passives: 0, Detractors: 1,
		Distribution: []ScoreCount{{"csat", 2, 1}, {"csat", 4, 1}, {"nps", 5, 1}, {"nps", 10, 1}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary = %+v\nwant %+v", got, want)
	}
	mobile, err := db.FeedbackSummary(ctx, FeedbackQuery{Segment: segment.MustParse("device = desktop"), Text: "love"})
	if err != nil {
		t.Fatal(err)
	}
	if mobile.Count != 1 || mobile.NPS != 100 || mobile.CSATCount != 0 || mobile.CSATAverage != 0 {
		t.Errorf("desktop 'love' summary = %+v, want 1 response, NPS 100, no CSAT", mobile)
	}
	empty, err := db.FeedbackSummary(ctx, FeedbackQuery{From: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if empty.Count != 0 || empty.NPS != 0 || math.IsNaN(empty.CSATAverage) || len(empty.Distribution) != 0 {
		t.Errorf("empty period summary = %+v, want zeros", empty)
	}
}

func TestFeedbackQueryRejects(t *testing.T) {
	ctx := context.Background()
	db := feedbackWorkspace(t)
	for _, q := range []FeedbackQuery{{Kind: "ces"}, {Limit: -1}, {Offset: -3}} {
		if _, err := db.FeedbackResponses(ctx, q); !errors.Is(err, ErrInvalidFeedbackQuery) {
			t.Errorf("FeedbackResponses(%+v) error = %v, want ErrInvalidFeedbackQuery", q, err)
		}
		if _, err := db.FeedbackSummary(ctx, q); (q.Kind != "") != errors.Is(err, ErrInvalidFeedbackQuery) {
			t.Errorf("FeedbackSummary(%+v) error = %v, want ErrInvalidFeedbackQuery only for a bad kind (it ignores the window)", q, err)
		}
	}
}
