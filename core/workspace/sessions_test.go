package workspace

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/segment"
)

// factsFor builds facts by hand so the query tests do not depend on how
// a recording is derived.
func factsFor(id, device string, dur int64, paths []string, jsErrors int, tags []string, event string) *core.Facts {
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(dur) * time.Millisecond)
	f := &core.Facts{Session: core.Session{ID: id, Site: "shop", Visitor: "v_" + id, StartedAt: start, DurationMS: dur,
		Pageviews: len(paths), Device: device, Browser: "Chrome", OS: "Linux", Country: "DE", JSErrors: jsErrors,
		Tags: tags, Events: 10, Viewport: core.Viewport{W: 1280, H: 800}, MaxScrollPct: map[string]float64{paths[0]: 55},
		Traits: map[string]string{"plan": "pro"}, UserID: "u-" + id, Score: float64(jsErrors)}}
	for i, p := range paths {
		f.Pageviews = append(f.Pageviews, core.Pageview{Index: i, URL: "https://shop.test" + p + "?q=1", Path: p,
			Title: "T" + p, At: start.Add(time.Duration(i) * time.Second), OffsetMS: int64(i) * 1000, DwellMS: 1000,
			Viewport: core.Viewport{W: 1280, H: 800}, DocHeight: 2000, MaxScrollY: 300, ScrollPct: 55, QuickBack: i == 1})
	}
	f.Clicks = []core.Click{{OffsetMS: 500, Pageview: 0, Path: paths[0], X: 10, Y: 20, Selector: "#buy", Tag: "button",
		Text: "Buy", RelX: 0.5, RelY: 0.25, Rage: true, Error: jsErrors > 0}}
	f.Session.Clicks = 1
	f.Inputs = []core.Input{{OffsetMS: 600, Pageview: 0, Path: paths[0], Selector: "input[name=q]"}}
	for i := 0; i < jsErrors; i++ {
		f.Errors = append(f.Errors, core.JSError{OffsetMS: 700, Pageview: 0, Path: paths[0], Message: "TypeError: x is undefined",
			Source: "app.js", Stack: "at f (app.js:1:2)"})
	}
	f.Requests = []core.Request{{OffsetMS: 800, Pageview: 0, Path: paths[0], Method: "GET", URL: "https://shop.test/api",
		Status: 500, DurationMS: 30, Failed: true}}
	if event != "" {
		f.CustomEvents = []core.CustomEvent{{OffsetMS: 900, Pageview: 0, Path: paths[0], Name: event, Props: map[string]any{"n": 2.0}}}
	}
	f.Feedback = []core.Feedback{{OffsetMS: 950, Pageview: 0, Path: paths[0], Kind: "nps", Score: 9, Comment: "nice"}}
	f.Moves = []core.Point{{Pageview: 0, Path: paths[0], X: 1, Y: 2}, {Pageview: 0, Path: paths[0], X: 3, Y: 4}, {Pageview: 1, Path: paths[0], X: 1500, Y: 90000}, {Pageview: 1, Path: paths[0], X: 0, Y: -5}}
	f.Uninterpreted = map[string]int{"event type 42": 1}
	return f
}

func importFacts(t *testing.T, db *DB, f *core.Facts) {
	t.Helper()
	h := header(f.Session.ID, 0, f.Session.StartedAt)
	events := []rrweb.Event{ev(rrweb.Meta, f.Session.StartedAt.UnixMilli(), `{"href":"https://shop.test/"}`)}
	if _, err := db.Import(context.Background(), h, events, f, "k/"+f.Session.ID, "sha-"+f.Session.ID); err != nil {
		t.Fatal(err)
	}
}

func TestSessionsQuery(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sa := factsFor("s_a", "mobile", 30_000, []string{"/", "/checkout/pay"}, 0, []string{"rage_click"}, "signup")
	sa.Session.Traits["email"] = "ada@example.com"
	importFacts(t, db, sa)
	importFacts(t, db, factsFor("s_b", "desktop", 90_000, []string{"/", "/products/1"}, 2, []string{"js_error"}, ""))
	importFacts(t, db, factsFor("s_c", "desktop", 5_000, []string{"/about"}, 0, nil, "purchase"))
	if err := db.AddTag(ctx, "s_c", "vip"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    SessionQuery
		want []string
	}{
		{"all newest first", SessionQuery{}, []string{"s_b", "s_a", "s_c"}},
		{"sort by duration asc", SessionQuery{Sort: "duration_ms"}, []string{"s_c", "s_a", "s_b"}},
		{"page glob", SessionQuery{Page: "/checkout*"}, []string{"s_a"}},
		{"device", SessionQuery{Device: "desktop", Sort: "id"}, []string{"s_b", "s_c"}},
		{"min duration", SessionQuery{MinDurationMS: 10_000, Sort: "id"}, []string{"s_a", "s_b"}},
		{"max duration", SessionQuery{MaxDurationMS: 10_000}, []string{"s_c"}},
		{"has errors", SessionQuery{HasErrors: true, Sort: "id"}, []string{"s_b"}},
		{"tag auto", SessionQuery{Tag: "js_error"}, []string{"s_b"}},
		{"tag manual", SessionQuery{Tag: "vip"}, []string{"s_c"}},
		{"text in path", SessionQuery{Text: "PRODUCTS"}, []string{"s_b"}},
		{"text in event", SessionQuery{Text: "purch"}, []string{"s_c"}},
		{"text in error", SessionQuery{Text: "undefined"}, []string{"s_b"}},
		{"text with like chars", SessionQuery{Text: "%"}, nil},
		{"text in user id", SessionQuery{Text: "U-S_B"}, []string{"s_b"}},
		{"text in visitor id", SessionQuery{Text: "v_s_c"}, []string{"s_c"}},
		{"text in a trait value", SessionQuery{Text: "ADA@example"}, []string{"s_a"}},
		{"text in no trait", SessionQuery{Text: "grace@"}, nil},
		{"period", SessionQuery{From: time.Date(2026, 11, 1, 10, 0, 10, 0, time.UTC), To: time.Date(2026, 11, 1, 10, 1, 0, 0, time.UTC)}, []string{"s_a"}},
		{"period open end", SessionQuery{From: time.Date(2026, 11, 1, 10, 0, 10, 0, time.UTC), Sort: "id"}, []string{"s_a", "s_b"}},
		{"ids", SessionQuery{IDs: []string{"s_c", "s_a"}, Sort: "id"}, []string{"s_a", "s_c"}},
		{"site", SessionQuery{Site: "other"}, nil},
		{"limit offset", SessionQuery{Sort: "id", Limit: 1, Offset: 1}, []string{"s_b"}},
		{"frustrated", SessionQuery{Frustrated: true}, []string{"s_b"}},
		{"visitor", SessionQuery{Visitor: "v_s_c"}, []string{"s_c"}},
		{"segment", SessionQuery{Segment: segment.MustParse("errors >= 2")}, []string{"s_b"}},
		{"score desc", SessionQuery{Sort: "-frustration_score", Limit: 1}, []string{"s_b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Sessions(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
			n, err := db.Count(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if tt.q.Limit == 0 && n != len(tt.want) {
				t.Errorf("Count = %d, want %d", n, len(tt.want))
			}
		})
	}
	if _, err := db.Sessions(ctx, SessionQuery{Sort: "nope; DROP TABLE sessions"}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("unknown sort: %v, want ErrBadQuery", err)
	}
	sites, err := db.Sites(ctx)
	if err != nil || !reflect.DeepEqual(sites, []string{"shop"}) {
		t.Errorf("Sites = %v, %v", sites, err)
	}
	if _, err := db.Session(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(missing) = %v, want ErrNotFound", err)
	}
}

func TestFactsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	want := factsFor("s_round", "tablet", 42_000, []string{"/", "/cart"}, 1, []string{"error_click", "js_error"}, "add_to_cart")
	importFacts(t, db, want)
	got, err := db.Facts(ctx, "s_round")
	if err != nil {
		t.Fatal(err)
	}
	// The stored session lists what the list view shows.
	want.Session.Pages = []string{"/", "/cart"}
	want.Session.URLs = []string{"https://shop.test/?q=1", "https://shop.test/cart?q=1"}
	for i := range want.Pageviews {
		want.Pageviews[i].At = want.Session.StartedAt.Add(time.Duration(want.Pageviews[i].OffsetMS) * time.Millisecond)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"session", got.Session, want.Session},
		{"pageviews", got.Pageviews, want.Pageviews},
		{"clicks", got.Clicks, want.Clicks},
		{"inputs", got.Inputs, want.Inputs},
		{"errors", got.Errors, want.Errors},
		{"requests", got.Requests, want.Requests},
		{"custom events", got.CustomEvents, want.CustomEvents},
		{"feedback", got.Feedback, want.Feedback},
		{"moves", got.Moves, want.Moves},
		{"uninterpreted", got.Uninterpreted, want.Uninterpreted},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, c.got, c.want)
		}
	}
}
