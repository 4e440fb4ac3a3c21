package chart

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// option is the part of an echarts option the tests read back.
type option struct {
	Color  []string              `json:"color"`
	Title  struct{ Text string } `json:"title"`
	Series []struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Stack string `json:"stack"`
		Data  []struct {
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
	Animation *bool `json:"animation"`
}

func parse(t *testing.T, raw json.RawMessage) option {
	t.Helper()
	var o option
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, raw)
	}
	return o
}

func values(o option, series int) []float64 {
	var out []float64
	for _, d := range o.Series[series].Data {
		out = append(out, d.Value)
	}
	return out
}

func TestBar(t *testing.T) {
	tests := []struct {
		name       string
		style      Style
		labels     []string
		values     []float64
		horizontal bool
		wantLabels []string
		wantValues []float64
	}{
		{"upright keeps the order", Style{}, []string{"a", "b", "c"}, []float64{3, 1, 2}, false, []string{"a", "b", "c"}, []float64{3, 1, 2}},
		{"lying reads top-down", Style{}, []string{"a", "b"}, []float64{5, 4}, true, []string{"b", "a"}, []float64{4, 5}},
		{"long labels are shortened", Style{}, []string{strings.Repeat("x", 40)}, []float64{1}, false, []string{strings.Repeat("x", labelRunes-1) + "…"}, []float64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := Bar(tt.style, "sessions", tt.labels, tt.values, tt.horizontal)
			if err != nil {
				t.Fatal(err)
			}
			o := parse(t, raw)
			if len(o.Series) != 1 || o.Series[0].Type != "bar" || o.Series[0].Name != "sessions" {
				t.Fatalf("series = %+v, want one bar series named sessions", o.Series)
			}
			if got := values(o, 0); !reflect.DeepEqual(got, tt.wantValues) {
				t.Errorf("values = %v, want %v", got, tt.wantValues)
			}
			axis := o.XAxis
			if tt.horizontal {
				axis = o.YAxis
			}
			if len(axis) == 0 || !reflect.DeepEqual(axis[0].Data, tt.wantLabels) {
				t.Errorf("category axis = %+v, want %v", axis, tt.wantLabels)
			}
		})
	}
}

func TestStyle(t *testing.T) {
	themed, err := Bar(Style{}, "n", []string{"a"}, []float64{1}, false)
	if err != nil {
		t.Fatal(err)
	}
	if o := parse(t, themed); o.Color != nil || o.Title.Text != "" || o.Animation != nil {
		t.Errorf("themed option carries colours %v, title %q or animation %v; want them left to the viewer", o.Color, o.Title.Text, o.Animation)
	}
	report, err := Line(Style{Title: "Per day", Colors: []string{"#123456"}, Static: true}, "n", []string{"a"}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	o := parse(t, report)
	if !reflect.DeepEqual(o.Color, []string{"#123456"}) || o.Title.Text != "Per day" || o.Animation == nil || *o.Animation {
		t.Errorf("report option: colours %v, title %q, animation %v; want #123456, Per day, false", o.Color, o.Title.Text, o.Animation)
	}
}

func TestCompare(t *testing.T) {
	raw, err := Compare(Style{}, []string{"d1", "d2", "d3"}, []float64{4, 0, 6}, []float64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	o := parse(t, raw)
	if len(o.Series) != 2 {
		t.Fatalf("%d series, want 2", len(o.Series))
	}
	for i, want := range []struct {
		name, typ string
		values    []float64
	}{{ThisPeriod, "bar", []float64{4, 0, 6}}, {PreviousPeriod, "line", []float64{1, 2, 3}}} {
		s := o.Series[i]
		if s.Name != want.name || s.Type != want.typ || !reflect.DeepEqual(values(o, i), want.values) {
			t.Errorf("series %d = %s %s %v, want %s %s %v", i, s.Name, s.Type, values(o, i), want.name, want.typ, want.values)
		}
	}
}

func TestFunnel(t *testing.T) {
	steps := []FunnelStep{{"page:/", 100, 40, 1}, {"page:/cart", 60, 15, 0.6}, {"page:/thanks", 45, 0, 0.45}}
	raw, err := Funnel(Style{}, steps)
	if err != nil {
		t.Fatal(err)
	}
	o := parse(t, raw)
	if len(o.Series) != 2 || o.Series[0].Name != WentOn || o.Series[1].Name != DroppedOff || o.Series[0].Stack == "" || o.Series[0].Stack != o.Series[1].Stack {
		t.Fatalf("series = %+v, want went on and dropped off stacked", o.Series)
	}
	wantLabels := []string{"100%", "60%", "45%"}
	for i, st := range steps {
		went, dropped := o.Series[0].Data[i].Value, o.Series[1].Data[i]
		if int(went+dropped.Value) != st.Reached || int(dropped.Value) != st.Dropped {
			t.Errorf("step %d: bars %v+%v, want %d reached, %d dropped", i+1, went, dropped.Value, st.Reached, st.Dropped)
		}
		if dropped.Label == nil || dropped.Label.Formatter != wantLabels[i] {
			t.Errorf("step %d label = %+v, want %s", i+1, dropped.Label, wantLabels[i])
		}
	}
	if got := o.XAxis[0].Data; !reflect.DeepEqual(got, []string{"1. page:/", "2. page:/cart", "3. page:/thanks"}) {
		t.Errorf("steps axis = %v", got)
	}
}

func TestShapeErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() (json.RawMessage, error)
	}{
		{"bar", func() (json.RawMessage, error) { return Bar(Style{}, "n", []string{"a"}, nil, false) }},
		{"line", func() (json.RawMessage, error) { return Line(Style{}, "n", nil, []float64{1}) }},
		{"compare", func() (json.RawMessage, error) { return Compare(Style{}, []string{"a"}, []float64{1}, nil) }},
		{"funnel", func() (json.RawMessage, error) { return Funnel(Style{}, []FunnelStep{{"a", 1, 2, 1}}) }},
	}
	for _, tt := range tests {
		if _, err := tt.run(); !errors.Is(err, ErrShape) {
			t.Errorf("%s: err %v, want ErrShape", tt.name, err)
		}
	}
}

func TestNoEmptyComponents(t *testing.T) {
	raw, err := Bar(Style{}, "n", []string{"<script>"}, []float64{1}, false)
	if err != nil {
		t.Fatal(err)
	}
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"title", "toolbox", "color"} {
		if v, ok := parts[k]; ok {
			t.Errorf("option has %s = %s, want it left out", k, v)
		}
	}
	if strings.Contains(string(raw), "<script>") {
		t.Errorf("option JSON carries a raw <script>: %s", raw)
	}
}
