package heatmap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core"
)

func sampleFacts() []*core.Facts {
	return []*core.Facts{
		{Session: core.Session{ID: "a", Device: "mobile", Viewport: core.Viewport{W: 400}},
			Pageviews: []core.Pageview{{Index: 0, Path: "/", DocHeight: 2000, ScrollPct: 50}, {Index: 1, Path: "/cart", DocHeight: 1000, ScrollPct: 100}},
			Clicks: []core.Click{
				{Path: "/", X: 100, Y: 200, Selector: "#buy", RelX: 0.5, RelY: 0.5},
				{Path: "/", X: 101, Y: 201, Selector: "#buy", Rage: true},
				{Path: "/", X: 300, Y: 900, Selector: "img.hero", Dead: true},
				{Path: "/cart", X: 10, Y: 10, Selector: "#pay", Error: true},
			},
			Moves: []core.Point{{Path: "/", X: 5, Y: 6}}},
		{Session: core.Session{ID: "b", Device: "desktop", Viewport: core.Viewport{W: 1280}},
			Pageviews: []core.Pageview{{Index: 0, Path: "/", DocHeight: 0, ScrollPct: -1}, {Index: 1, Path: "/", DocHeight: 2400, ScrollPct: 10}},
			Clicks:    []core.Click{{Path: "/", X: 640, Y: 300, Selector: "#buy"}}},
	}
}

func TestFromFacts(t *testing.T) {
	d, err := FromFacts(Query{Page: "/"}, sampleFacts())
	if err != nil {
		t.Fatal(err)
	}
	if d.Sessions != 2 || d.Pageviews != 3 || d.ScrollUnknown != 1 || len(d.Points) != 4 || d.Height != 2400 || d.Width != 1280 {
		t.Errorf("got sessions %d pageviews %d unknown %d points %d height %d width %d; want 2 3 1 4 2400 1280",
			d.Sessions, d.Pageviews, d.ScrollUnknown, len(d.Points), d.Height, d.Width)
	}
	wantEl := []Element{{Selector: "#buy", Clicks: 3, Rage: 1}, {Selector: "img.hero", Clicks: 1, Dead: 1}}
	if !reflect.DeepEqual(d.Elements, wantEl) {
		t.Errorf("elements = %+v, want %+v", d.Elements, wantEl)
	}
	// Two pageviews with a known depth: 50 % and 10 %.
	if d.Scroll[0].Share != 1 || d.Scroll[1].Share != 1 || d.Scroll[2].Share != 0.5 || d.Scroll[9].Share != 0.5 || d.Scroll[10].Share != 0 {
		t.Errorf("scroll bands = %+v", d.Scroll[:11])
	}
	rage, _ := FromFacts(Query{Page: "/", Kind: Rage}, sampleFacts())
	if len(rage.Points) != 1 || rage.Points[0].X != 101 {
		t.Errorf("rage points = %+v, want the one rage click", rage.Points)
	}
	mobile, _ := FromFacts(Query{Page: "/*", Device: "MOBILE"}, sampleFacts())
	if mobile.Sessions != 1 || len(mobile.Points) != 4 {
		t.Errorf("mobile over /*: sessions %d points %d, want 1 and 4", mobile.Sessions, len(mobile.Points))
	}
	moves, _ := FromFacts(Query{Page: "/", Kind: Moves}, sampleFacts())
	if len(moves.Points) != 1 {
		t.Errorf("move points = %d, want 1", len(moves.Points))
	}
	if _, err := FromFacts(Query{Page: "/", Kind: "heat"}, nil); err == nil {
		t.Error("unknown kind: want an error")
	}
}

func TestRenderPNG(t *testing.T) {
	for _, k := range []Kind{Clicks, Scroll} {
		d, _ := FromFacts(Query{Page: "/", Kind: k}, sampleFacts())
		var buf bytes.Buffer
		if err := RenderPNG(&buf, d, RenderOptions{Width: 320}); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", k, err)
		}
		if got := img.Bounds().Dx(); got != 320 {
			t.Errorf("%s: width %d, want 320", k, got)
		}
		if got, want := img.Bounds().Dy(), 600; got != want {
			t.Errorf("%s: height %d, want %d (2400 px page at 320/1280)", k, got, want)
		}
		// The densest click (#buy at 640,300 on desktop, and the two mobile
		// clicks rescaled to 320,500) must be hot: red dominates.
		if k == Clicks {
			r, g, b, _ := img.At(160, 75).RGBA()
			if r < g || r < b {
				t.Errorf("pixel at a click = %d,%d,%d, want a warm colour", r>>8, g>>8, b>>8)
			}
			r, g, b, _ = img.At(300, 590).RGBA()
			if spread(r, g, b) > 10<<8 {
				t.Errorf("pixel far from clicks = %d,%d,%d, want neutral grey", r>>8, g>>8, b>>8)
			}
		}
	}
	if c := Ramp(1); c.R < 0xe0 || c.B > 0x40 {
		t.Errorf("Ramp(1) = %v, want red", c)
	}
	if c := Ramp(0); c.B < 0xd0 {
		t.Errorf("Ramp(0) = %v, want blue", c)
	}
}

func spread(r, g, b uint32) uint32 { return max(r, g, b) - min(r, g, b) }

func TestQueryJSON(t *testing.T) {
	var q Query
	if err := json.Unmarshal([]byte(`{"page":"/cart","kind":"rage","segment":"device = mobile"}`), &q); err != nil {
		t.Fatal(err)
	}
	if q.Page != "/cart" || q.Kind != Rage || q.Segment == nil || q.Segment.String() != "device = mobile" {
		t.Fatalf("decoded %+v", q)
	}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var back Query
	if err := json.Unmarshal(b, &back); err != nil || back.Segment.String() != q.Segment.String() || back.Page != q.Page {
		t.Errorf("round trip via %s = %+v, %v", b, back, err)
	}
	if err := json.Unmarshal([]byte(`{"page":"/","segment":"device ="}`), &q); err == nil {
		t.Error("bad segment text: want an error")
	}
}

// TestMovesSampledEvenly: past MaxMovePoints a move heatmap keeps every
// k-th position in recorded order, counts them all, and sizes the page
// by the lowest of them all.
func TestMovesSampledEvenly(t *testing.T) {
	q, err := Query{Page: "/", Kind: Moves}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	n := 2*MaxMovePoints + 7 // a stride of 3
	a := NewAccumulator(q)
	a.ExpectMoves(n)
	for i := 0; i < n; i++ {
		a.AddMove(Point{X: float64(i), Y: float64(i % 1000), RelX: -1, RelY: -1})
	}
	a.AddPageview("s", 1280, 0, -1)
	d := a.Data()
	if d.Moves != n || len(d.Points) != (n+2)/3 {
		t.Fatalf("kept %d of %d moves, want %d of %d", len(d.Points), d.Moves, (n+2)/3, n)
	}
	for i, p := range d.Points {
		if p.X != float64(3*i) {
			t.Fatalf("point %d is move %v, want move %d", i, p.X, 3*i)
		}
	}
	if d.Height != 999+100 {
		t.Errorf("height %d, want the lowest move of all (999) + 100", d.Height)
	}
	few := NewAccumulator(q)
	few.ExpectMoves(5)
	for i := 0; i < 5; i++ {
		few.AddMove(Point{X: float64(i)})
	}
	if d := few.Data(); len(d.Points) != 5 || d.Moves != 5 {
		t.Errorf("under the limit: kept %d of %d", len(d.Points), d.Moves)
	}
}

// TestMovesAtMatchesMoveByMove: positions handed over in batches keep the
// same sample, count and page height as one AddMove each, across batch
// bounds that fall anywhere in the stride.
func TestMovesAtMatchesMoveByMove(t *testing.T) {
	q, err := Query{Page: "/", Kind: Moves}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, total := range []int{0, 5, MaxMovePoints, 3*MaxMovePoints + 11} {
		one, batched := NewAccumulator(q), NewAccumulator(q)
		one.ExpectMoves(total)
		batched.ExpectMoves(total)
		for done, batch := 0, 0; done < total; batch++ {
			n := min(total-done, 1+rng.IntN(60))
			vw := 1280 + batch%3
			xy := make([]int32, 0, 2*n)
			for i := range n {
				x, y := int32((done+i)%1700), int32(rng.IntN(5000))
				one.AddMove(Point{X: float64(x), Y: float64(y), VW: vw, RelX: -1, RelY: -1})
				xy = append(xy, x, y)
			}
			batched.AddMovesAt(vw, xy)
			done += n
		}
		want, got := one.Data(), batched.Data()
		if len(want.Points) != len(got.Points) || want.Moves != got.Moves || want.Height != got.Height {
			t.Fatalf("%d moves: batched kept %d of %d (height %d), one by one %d of %d (height %d)",
				total, len(got.Points), got.Moves, got.Height, len(want.Points), want.Moves, want.Height)
		}
		for i := range want.Points {
			if want.Points[i] != got.Points[i] {
				t.Fatalf("%d moves: point %d is %+v batched, %+v one by one", total, i, got.Points[i], want.Points[i])
			}
		}
	}
}

// TestScrollBandsAtTheirBounds: a pageview reaches a band when its depth
// is at least the band's percentage, exactly at the bound too; depths
// past 100 %, infinite or not a number count as the definition says.
func TestScrollBandsAtTheirBounds(t *testing.T) {
	q, err := Query{Page: "/", Kind: Scroll}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	depths := []float64{0, 4.99, 5, 5.01, 14.99, 15, 49.999999, 50, 99.99, 100, 100.5, 250, math.Inf(1), math.NaN(), 0.01}
	for i := 1; i <= 20; i++ {
		depths = append(depths, float64(5*i), math.Nextafter(float64(5*i), 0))
	}
	a := NewAccumulator(q)
	for _, d := range depths {
		a.AddPageview("s", 1280, 2000, d)
	}
	got := a.Data().Scroll
	for i, band := range got {
		want := 0
		for _, d := range depths {
			if d >= float64(5*(i+1)) {
				want++
			}
		}
		if band.Pageviews != want {
			t.Errorf("band %d %%: %d pageviews, want %d", band.Pct, band.Pageviews, want)
		}
	}
}

// TestElementsCountedByTheCaller: clicks counted by the caller and
// handed over with AddElement and AddClickPoint, sessions counted with
// CountSession, give the heatmap AddClick and AddPageview give.
func TestElementsCountedByTheCaller(t *testing.T) {
	for _, kind := range []Kind{Clicks, Rage, Scroll} {
		q, err := Query{Page: "/", Kind: kind}.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		direct, counted := NewAccumulator(q), NewAccumulator(q)
		totals := map[string]*Element{}
		for s := range 3 {
			counted.CountSession()
			for i := range 4 {
				direct.AddPageview(fmt.Sprint(s), 1000+s, 900+i, float64(30*i))
				counted.AddSessionPageview(1000+s, 900+i, float64(30*i))
			}
			for i := range 7 {
				p := Point{X: float64(i), Y: float64(s), Selector: fmt.Sprint("#b", i%3), VW: 1000 + s}
				rage, dead, bad := i%2 == 0, i%3 == 0, i == 5
				direct.AddClick(p, rage, dead, bad)
				counted.AddClickPoint(p, rage)
				e := totals[p.Selector]
				if e == nil {
					e = &Element{Selector: p.Selector}
					totals[p.Selector] = e
				}
				e.Clicks++
				e.Rage += b2i(rage)
				e.Dead += b2i(dead)
				e.Error += b2i(bad)
			}
		}
		for _, e := range totals {
			counted.AddElement(*e)
		}
		if want, got := direct.Data(), counted.Data(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: counted by the caller %+v, want %+v", kind, got, want)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestClicksSampledEvenly: past MaxClickPoints a click heatmap keeps
// every k-th click in recorded order and counts them all; the elements
// count every click, and rage clicks are never sampled.
func TestClicksSampledEvenly(t *testing.T) {
	limit := MaxClickPoints
	MaxClickPoints = 10
	defer func() { MaxClickPoints = limit }()
	for _, kind := range []Kind{Clicks, Rage} {
		q, err := Query{Page: "/", Kind: kind}.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		n := 35 // a stride of 4
		a := NewAccumulator(q)
		a.ExpectClicks(n)
		for i := 0; i < n; i++ {
			a.AddClick(Point{X: float64(i), Selector: "#b"}, true, false, false)
		}
		d := a.Data()
		if d.Elements[0].Clicks != n {
			t.Errorf("%s: element counts %d clicks, want %d", kind, d.Elements[0].Clicks, n)
		}
		want, step := n, 1
		if kind == Clicks {
			want, step = (n+3)/4, 4
			if d.Clicks != n {
				t.Errorf("click kind counts %d clicks, want %d", d.Clicks, n)
			}
		}
		if len(d.Points) != want {
			t.Fatalf("%s: kept %d of %d clicks, want %d", kind, len(d.Points), n, want)
		}
		for i, p := range d.Points {
			if p.X != float64(step*i) {
				t.Fatalf("%s: point %d is click %v, want click %d", kind, i, p.X, step*i)
			}
		}
	}
}
