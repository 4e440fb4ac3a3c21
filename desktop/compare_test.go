package desktop

import (
	"errors"
	"strings"
	"testing"
)

func TestPlayerCompare(t *testing.T) {
	p := NewPlayer(newWorkspace(t))
	c, err := p.Compare("scroll", "input", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.A.Session.ID != "scroll" || c.B.Session.ID != "input" || c.Align != AlignStart || c.AlignA != 0 || c.AlignB != 0 {
		t.Fatalf("aligned at start: %s/%s %q %d %d", c.A.Session.ID, c.B.Session.ID, c.Align, c.AlignA, c.AlignB)
	}
	if len(c.A.Events) < 2 || len(c.B.Events) < 2 {
		t.Fatal("the replays came without events")
	}

	// At a step: the first moment each session's facts match it.
	var step string
	var at int64 = -1
	for _, s := range []string{"scroll", "input", "hostile"} {
		r, err := p.Load(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Facts.Clicks {
			if c.OffsetMS > 0 && c.Selector != "" {
				step, at = "click:"+c.Selector, c.OffsetMS
				break
			}
		}
		if step != "" {
			c, err := p.Compare(s, s, step)
			if err != nil {
				t.Fatal(err)
			}
			if c.AlignA != at || c.AlignB != at || c.Align != step {
				t.Fatalf("aligned at %s: %d and %d, want %d", step, c.AlignA, c.AlignB, at)
			}
			break
		}
	}
	if step == "" {
		t.Fatal("no fixture has a click to align at")
	}

	var e *Error
	_, err = p.Compare("scroll", "input", "event:never-sent")
	if !errors.As(err, &e) || e.Code != CodeInvalid || !strings.Contains(e.Message, "never reaches event:never-sent") {
		t.Errorf("a step not reached: %v", err)
	}
	_, err = p.Compare("scroll", "input", "scroll:50")
	if !errors.As(err, &e) || e.Code != CodeInvalid {
		t.Errorf("a step that does not parse: %v", err)
	}
	_, err = p.Compare("scroll", "nope", "start")
	if !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Errorf("a missing session: %v", err)
	}
}
