package funnel

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// The workbench sends and reads exactly these field names
// (assets/workbench/src/api.ts FunnelQuery).
func TestSpecIsTheWorkbenchShape(t *testing.T) {
	in := `{"name":"Checkout","steps":["page:/cart","click:button.pay"],"mode":"strict","window_ms":600000,"breakdown":"device","segment":"device = mobile"}`
	var s Spec
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	q, err := s.Query()
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Steps) != 2 || q.Mode != Strict || q.Window != 10*time.Minute || q.Breakdown != "device" || q.Segment.String() != "device = mobile" {
		t.Errorf("Query() = %+v", q)
	}
	out, err := json.Marshal(SpecOf("Checkout", q))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("written back as\n %s\nwant\n %s", out, in)
	}
	// A query without a window is shown with the window it means.
	if got := SpecOf("", Query{Steps: q.Steps}).WindowMS; got != DefaultWindow.Milliseconds() {
		t.Errorf("SpecOf(zero window).WindowMS = %d, want %d", got, DefaultWindow.Milliseconds())
	}
}

// Saved funnels and the CLI write a Query through the same Spec, and read
// back what they wrote, including a segment stored as a JSON tree.
func TestQueryJSONRoundTrip(t *testing.T) {
	q := Query{Steps: []Step{{Kind: "page", Pattern: "/a*"}, {Kind: "event", Pattern: "buy"}}, Mode: AnyOrder,
		Window: time.Hour, Segment: segment.MustParse(`device = mobile and visited "/x*"`),
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Breakdown: "country"}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var back Query
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if back.String() != q.String() || !reflect.DeepEqual(back.Steps, q.Steps) || back.Segment.String() != q.Segment.String() {
		t.Errorf("round trip\n %s\ngave\n %s", q, back)
	}
	tree, _ := json.Marshal(segment.Segment{Expr: q.Segment})
	var fromTree Query
	if err := json.Unmarshal([]byte(`{"steps":["page:/a*"],"segment":`+string(tree)+`}`), &fromTree); err != nil {
		t.Fatal(err)
	}
	if fromTree.Segment == nil || fromTree.Segment.String() != q.Segment.String() {
		t.Errorf("segment tree read as %v, want %s", fromTree.Segment, q.Segment)
	}
	for _, bad := range []string{`{"steps":["nonsense"]}`, `{"steps":["page:/"],"segment":"device = = ("}`, `{"steps":["page:/"],"segment":{"op":"nope"}}`, `[1]`} {
		if err := json.Unmarshal([]byte(bad), &back); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("Unmarshal(%s) = %v, want ErrInvalidQuery", bad, err)
		}
	}
}
