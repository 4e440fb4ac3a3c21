package desktop

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/chart"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/segment"
)

// chartOption is the part of an echarts option these tests read back.
type chartOption struct {
	Series []struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Data []struct {
			Value float64 `json:"value"`
			Label *struct {
				Formatter string `json:"formatter"`
			} `json:"label"`
		} `json:"data"`
	} `json:"series"`
	XAxis []struct {
		Data []string `json:"data"`
	} `json:"xAxis"`
	YAxis []struct {
		Data []string `json:"data"`
	} `json:"yAxis"`
}

func parseOption(t *testing.T, raw json.RawMessage) chartOption {
	t.Helper()
	var o chartOption
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, raw)
	}
	return o
}

func (o chartOption) values(series int) []float64 {
	out := []float64{}
	for _, d := range o.Series[series].Data {
		out = append(out, d.Value)
	}
	return out
}

func sum(xs []float64) int {
	n := 0.0
	for _, x := range xs {
		n += x
	}
	return int(n)
}

func TestFunnelRunOption(t *testing.T) {
	f := NewFunnels(generatedWorkspace(t, 150))
	res, err := f.Run(FunnelQuery{Steps: []string{"page:/", "page:/cart", "page:/checkout"}})
	if err != nil {
		t.Fatal(err)
	}
	o := parseOption(t, res.Option)
	if len(o.Series) != 2 || o.Series[0].Name != chart.WentOn || o.Series[1].Name != chart.DroppedOff {
		t.Fatalf("series = %+v, want went on and dropped off", o.Series)
	}
	went, dropped := o.values(0), o.values(1)
	for i, s := range res.Steps {
		if got := int(went[i] + dropped[i]); got != s.Count {
			t.Errorf("step %d bar = %d, want its count %d", i+1, got, s.Count)
		}
		if int(dropped[i]) != s.DroppedOff {
			t.Errorf("step %d dropped bar = %v, want %d", i+1, dropped[i], s.DroppedOff)
		}
		want := map[int]string{0: "100%"}[i]
		if got := o.Series[1].Data[i].Label; got == nil || (want != "" && got.Formatter != want) || got.Formatter == "" {
			t.Errorf("step %d conversion label = %+v, want a percentage (%q for step 1)", i+1, got, want)
		}
	}
}

func TestSessionsChartOption(t *testing.T) {
	d := NewDashboards(generatedWorkspace(t, 200))
	for _, days := range []int{7, 30} {
		data, err := d.CardData(Card{Kind: "sessions_chart"}, days)
		if err != nil {
			t.Fatal(err)
		}
		o := parseOption(t, data.Option)
		if len(o.Series) != 2 || o.Series[0].Name != chart.ThisPeriod || o.Series[1].Name != chart.PreviousPeriod {
			t.Fatalf("%d days: series = %+v, want this and previous period", days, o.Series)
		}
		if got := len(o.XAxis[0].Data); got != days {
			t.Errorf("%d days: %d day labels", days, got)
		}
		if got, want := sum(o.values(0)), data.Current.Sessions; got != want {
			t.Errorf("%d days: this period's bars add up to %d, want %d sessions", days, got, want)
		}
		if got, want := sum(o.values(1)), data.Previous.Sessions; got != want {
			t.Errorf("%d days: previous period's line adds up to %d, want %d sessions", days, got, want)
		}
	}
}

func TestFunnelConversionCard(t *testing.T) {
	db := generatedWorkspace(t, 200)
	d := NewDashboards(db)
	none, err := d.CardData(Card{Kind: "funnel_conversion"}, 30)
	if err != nil || none.Funnel != nil {
		t.Fatalf("no saved funnel: %+v, %v; want no funnel numbers", none.Funnel, err)
	}
	var q funnel.Query
	for _, s := range []string{"page:/", "page:/cart", "page:/checkout"} {
		st, err := funnel.ParseStep(s)
		if err != nil {
			t.Fatal(err)
		}
		q.Steps = append(q.Steps, st)
	}
	if err := db.SaveFunnel(t.Context(), "Purchase", q); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		card    Card
		segment string
	}{
		{"first saved funnel", Card{Kind: "funnel_conversion"}, ""},
		{"named", Card{Kind: "funnel_conversion", Funnel: "Purchase"}, ""},
		{"scoped by a segment", Card{Kind: "funnel_conversion", Funnel: "Purchase", Segment: "device = mobile"}, "device = mobile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := d.CardData(tt.card, 30)
			if err != nil || data.Funnel == nil {
				t.Fatalf("CardData = %+v, %v", data.Funnel, err)
			}
			if data.Funnel.Name != "Purchase" {
				t.Errorf("funnel %q, want Purchase", data.Funnel.Name)
			}
			for _, c := range []struct {
				period string
				got    FunnelPeriod
				q      funnel.Query
			}{
				{"current", data.Funnel.Current, withPeriod(t, q, tt.segment, data.Current.From, data.Current.To)},
				{"previous", data.Funnel.Previous, withPeriod(t, q, tt.segment, data.Previous.From, data.Previous.To)},
			} {
				res, err := db.Funnel(t.Context(), c.q)
				if err != nil {
					t.Fatal(err)
				}
				want := FunnelPeriod{Started: res.Steps[0].Count, Converted: res.Converted, Conversion: res.Conversion}
				if c.got != want {
					t.Errorf("%s period = %+v, want %+v", c.period, c.got, want)
				}
			}
			if data.Funnel.Current.Started == 0 || data.Funnel.Current.Started > data.Current.Sessions {
				t.Errorf("%d sessions started the funnel of %d in the period", data.Funnel.Current.Started, data.Current.Sessions)
			}
		})
	}
	if _, err := d.CardData(Card{Kind: "funnel_conversion", Funnel: "Nope"}, 30); codeOfErr(err) != CodeNotFound {
		t.Errorf("unknown funnel: err %v, want not found", err)
	}
}

// withPeriod is q over [from, to), narrowed by a segment when one is given.
func withPeriod(t *testing.T, q funnel.Query, seg string, from, to time.Time) funnel.Query {
	t.Helper()
	q.From, q.To = from, to
	if seg != "" {
		e, err := segment.Parse(seg)
		if err != nil {
			t.Fatal(err)
		}
		q.Segment = e
	}
	return q
}

func TestInsightDraftOptions(t *testing.T) {
	in := NewInsights(generatedWorkspace(t, 300))
	res, err := in.Scan(insight.ScanRequest{})
	if err != nil {
		t.Fatal(err)
	}
	charted := 0
	for _, d := range res.Drafts {
		c := d.Finding.Evidence.Chart
		if c == nil || len(c.Labels) == 0 {
			if d.Option != nil {
				t.Errorf("draft %q has no chart but an option", d.Title)
			}
			continue
		}
		charted++
		o := parseOption(t, d.Option)
		if len(o.Series) != 1 || o.Series[0].Type != "bar" {
			t.Fatalf("draft %q: series = %+v, want one bar series", d.Title, o.Series)
		}
		got, labels := o.values(0), o.XAxis[0].Data
		if lyingBars(c.Labels) {
			// Lying bars list the labels top-down, so echarts gets them reversed.
			got, labels = reverse(got), reverse(o.YAxis[0].Data)
		}
		for i, v := range c.Values {
			if i >= len(got) || got[i] != v {
				t.Errorf("draft %q bar %d = %v, want %v (%s)", d.Title, i, got, c.Values, c.Labels[i])
				break
			}
		}
		if len(labels) != len(c.Labels) {
			t.Errorf("draft %q: %d labels, want %d", d.Title, len(labels), len(c.Labels))
		}
	}
	if charted == 0 {
		t.Fatalf("no draft of %d has an evidence chart", len(res.Drafts))
	}
	listed, err := in.Drafts(false)
	if err != nil || len(listed) != len(res.Drafts) {
		t.Fatalf("Drafts = %d, %v; want the %d scanned", len(listed), err, len(res.Drafts))
	}
	for _, d := range listed {
		if (d.Finding.Evidence.Chart != nil && len(d.Finding.Evidence.Chart.Labels) > 0) != (d.Option != nil) {
			t.Errorf("listed draft %q: chart and option disagree", d.Title)
		}
	}
}

func reverse[T any](xs []T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}
