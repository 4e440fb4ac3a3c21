package funnel_test

import (
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core/funnel"
)

func TestConvertedSessions(t *testing.T) {
	a, _ := funnel.ParseStep("page:/")
	b, _ := funnel.ParseStep("page:/done")
	q := funnel.Query{Steps: []funnel.Step{a, b}}
	tls := []funnel.Timeline{
		{Session: "s3", Entries: []funnel.Entry{{At: 0, Mask: 1}, {At: 10, Mask: 2}}},
		{Session: "s1", Entries: []funnel.Entry{{At: 0, Mask: 1}}},
		{Session: "s2", Entries: []funnel.Entry{{At: 0, Mask: 1}, {At: 5, Mask: 2}}},
		{Session: "s4", Entries: []funnel.Entry{{At: 5, Mask: 2}}},
	}
	res, err := funnel.EvaluateTimelines(q, tls)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.ConvertedSessions(); !reflect.DeepEqual(got, []string{"s2", "s3"}) || res.Converted != 2 {
		t.Fatalf("converted %v (%d), want [s2 s3]", got, res.Converted)
	}
	if got := res.DroppedAfter(0); !reflect.DeepEqual(got, []string{"s1"}) {
		t.Fatalf("dropped %v, want [s1]", got)
	}
}
