package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/workspace"
)

// writeWorkspace stores generated sessions, after plant has had its way
// with them, in a new workspace file.
func writeWorkspace(t *testing.T, opt generate.Options, plant func(i int, f *core.Facts)) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ws.db")
	db, err := workspace.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range generate.Sessions(opt) {
		if plant != nil {
			plant(i, s.Facts)
		}
		if _, err := b.Add(s.Header, s.Events, s.Facts, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

// plantClick adds a click on selector to the session's last pageview.
func plantClick(f *core.Facts, selector string, mark func(*core.Click)) core.Click {
	pv := f.Pageviews[len(f.Pageviews)-1]
	c := core.Click{OffsetMS: pv.OffsetMS + 100, Pageview: pv.Index, Path: "/basket", Selector: selector, Tag: "button"}
	mark(&c)
	f.Clicks = append(f.Clicks, c)
	return c
}

// smallStudy is 14 sessions, calm apart from three planted problems: two
// sessions rage-click the basket button, one dead-clicks "Gift wrap", three
// error-click the coupon button, which throws.
func smallStudy(i int, f *core.Facts) {
	f.Errors = nil
	for j := range f.Clicks {
		f.Clicks[j].Rage, f.Clicks[j].Dead, f.Clicks[j].Error = false, false, false
	}
	for j := range f.Requests {
		f.Requests[j].Failed = false
	}
	f.Session.RageClicks, f.Session.DeadClicks, f.Session.ErrorClicks, f.Session.JSErrors = 0, 0, 0, 0
	switch i {
	case 0, 1:
		plantClick(f, "#add-to-basket", func(c *core.Click) { c.Rage = true })
		f.Session.RageClicks = 1
	case 2:
		plantClick(f, "button.gift-wrap", func(c *core.Click) { c.Dead = true })
		f.Session.DeadClicks = 1
	case 3, 4, 5:
		c := plantClick(f, "#apply-coupon", func(c *core.Click) { c.Error = true })
		f.Errors = append(f.Errors, core.JSError{OffsetMS: c.OffsetMS + 40, Pageview: c.Pageview, Path: c.Path,
			Message: "TypeError: coupon.code is undefined"})
		f.Session.ErrorClicks, f.Session.JSErrors = 1, 1
	}
}

func TestInsightsOnASmallStudyCountsWhatHappened(t *testing.T) {
	ws := writeWorkspace(t, generate.Options{Seed: 3, Sessions: 14, NoEvents: true}, smallStudy)
	for _, args := range [][]string{{}, {"--min-sample", "3"}} {
		var out, errOut bytes.Buffer
		argv := append([]string{"insights", "--workspace", ws, "--save=false"}, args...)
		if err := run(context.Background(), argv, &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", argv, err, errOut.String())
		}
		text := out.String()
		for _, want := range []string{
			"14 sessions are too few for a test",
			"2 of 14 sessions rage-clicked #add-to-basket",
			"1 of 14 sessions dead-clicked button.gift-wrap",
			"3 of 14 sessions error-clicked #apply-coupon",
			`the error "TypeError: coupon.code is undefined"`,
			"sessions ended on",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%v: the output lacks %q:\n%s", args, want, text)
			}
		}
		if strings.Contains(text, "Nothing stood out") || strings.Contains(text, "★") || strings.Contains(text, "p = ") {
			t.Errorf("%v: a small study must report counts and claim nothing:\n%s", args, text)
		}
	}
}

func TestInsightsOnALargeEffectFreeWorkspaceClaimNothing(t *testing.T) {
	ws := writeWorkspace(t, generate.Options{Seed: 11, Sessions: 1500, NoEvents: true}, nil)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"insights", "--workspace", ws, "--save=false", "--json"}, &out, &errOut); err != nil {
		t.Fatalf("insights: %v\n%s", err, errOut.String())
	}
	var got struct {
		Sessions int    `json:"sessions"`
		Note     string `json:"note"`
		Findings []struct {
			Kind        string `json:"kind"`
			Title       string `json:"title"`
			Significant bool   `json:"significant"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Sessions != 1500 || got.Note != "" {
		t.Fatalf("sessions %d, note %q: a large scan is not a small study", got.Sessions, got.Note)
	}
	for _, f := range got.Findings {
		if f.Significant || f.Kind == "observed" {
			t.Errorf("effect-free data, yet: %+v", f)
		}
	}
}
