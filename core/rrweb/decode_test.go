package rrweb

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeShapes(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		types []EventType
		times []int64
		err   error // matched with errors.Is; nil means success
	}{
		{"array", `[{"type":4,"data":{},"timestamp":10},{"type":2,"data":{},"timestamp":11}]`, []EventType{4, 2}, []int64{10, 11}, nil},
		{"export object", `{"meta":{"x":1},"events":[{"type":4,"data":{},"timestamp":5}],"other":[1,2]}`, []EventType{4}, []int64{5}, nil},
		{"ndjson", "{\"type\":4,\"data\":{},\"timestamp\":1}\n{\"type\":3,\"data\":{\"source\":1},\"timestamp\":2}\n\n", []EventType{4, 3}, []int64{1, 2}, nil},
		{"bom and whitespace", "\xEF\xBB\xBF  \n[{\"type\":4,\"timestamp\":1}]", []EventType{4}, []int64{1}, nil},
		{"empty array", `[]`, nil, nil, nil},
		{"float timestamp rounds", `[{"type":3,"data":{},"timestamp":1700000000000.6}]`, []EventType{3}, []int64{1700000000001}, nil},
		{"exponent timestamp", `[{"type":3,"data":{},"timestamp":1.7e12}]`, []EventType{3}, []int64{1700000000000}, nil},
		{"string timestamp", `[{"type":3,"data":{},"timestamp":"1700000000123"}]`, []EventType{3}, []int64{1700000000123}, nil},
		{"rfc3339 timestamp", `[{"type":3,"data":{},"timestamp":"2023-11-14T22:13:20Z"}]`, []EventType{3}, []int64{1700000000000}, nil},
		{"missing timestamp", `[{"type":3,"data":{}}]`, []EventType{3}, []int64{0}, nil},
		{"null timestamp", `[{"type":3,"data":{},"timestamp":null}]`, []EventType{3}, []int64{0}, nil},
		{"unknown type kept", `[{"type":42,"data":{"x":1},"timestamp":1}]`, []EventType{42}, []int64{1}, nil},
		{"integral float type", `[{"type":3.0,"data":{},"timestamp":1}]`, []EventType{3}, []int64{1}, nil},
		{"empty input", ``, nil, nil, ErrNotEvents},
		{"not json", `hello`, nil, nil, ErrNotEvents},
		{"object without events", `{"foo":1}`, nil, nil, ErrNotEvents},
		{"missing type", `[{"data":{},"timestamp":1}]`, nil, nil, ErrBadEvent},
		{"string type", `[{"type":"meta","timestamp":1}]`, nil, nil, ErrBadEvent},
		{"fractional type", `[{"type":2.5,"timestamp":1}]`, nil, nil, ErrBadEvent},
		{"garbage timestamp", `[{"type":2,"timestamp":"soon"}]`, nil, nil, ErrBadEvent},
		{"truncated array", `[{"type":2,"timestamp":1},{"type":`, nil, nil, nil},
		{"trailing garbage after export", `{"events":[]} {"x":1}`, nil, nil, ErrNotEvents},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := Decode(strings.NewReader(tt.in))
			if tt.name == "truncated array" {
				if err == nil || !strings.Contains(err.Error(), "event 1") {
					t.Fatalf("got err %v, want an error naming event 1", err)
				}
				if len(events) != 1 {
					t.Fatalf("got %d events before the fault, want 1 kept", len(events))
				}
				return
			}
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got err %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got err %v, want none", err)
			}
			var types []EventType
			var times []int64
			for _, e := range events {
				types = append(types, e.Type)
				times = append(times, e.Timestamp)
			}
			if !reflect.DeepEqual(types, tt.types) || !reflect.DeepEqual(times, tt.times) {
				t.Fatalf("got types %v times %v, want %v %v", types, times, tt.types, tt.times)
			}
		})
	}
}

// The three shapes of one recording decode to the same events, and an
// event's data survives a round trip byte for byte.
func TestDecodeShapesAgree(t *testing.T) {
	path := filepath.Join(corpusDir(t), "rrweb-player-public-events.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	arr := decodeFile(t, path)
	var wrapped strings.Builder
	wrapped.WriteString(`{"events":`)
	wrapped.Write(raw)
	wrapped.WriteString(`}`)
	obj, err := Decode(strings.NewReader(wrapped.String()))
	if err != nil {
		t.Fatal(err)
	}
	var lines strings.Builder
	for _, e := range arr {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		lines.Write(b)
		lines.WriteByte('\n')
	}
	nd, err := Decode(strings.NewReader(lines.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(arr) != 272 || !reflect.DeepEqual(arr, obj) || len(nd) != len(arr) {
		t.Fatalf("shapes disagree: array %d, object %d, ndjson %d events", len(arr), len(obj), len(nd))
	}
	for i := range arr {
		var want, got any
		if err := json.Unmarshal(arr[i].Data, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(nd[i].Data, &got); err != nil {
			t.Fatal(err)
		}
		if nd[i].Type != arr[i].Type || nd[i].Timestamp != arr[i].Timestamp || !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d differs after an NDJSON round trip", i)
		}
	}
}

func TestTypedPayloads(t *testing.T) {
	events, err := Decode(strings.NewReader(`[
{"type":4,"data":{"href":"https://a.example/x?q=1","width":1280.5,"height":800},"timestamp":1},
{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"tagName":"html","id":2,"attributes":{"lang":"en","data-n":3,"hidden":true},"childNodes":[]}]},"initialOffset":{"left":0,"top":120.5}},"timestamp":2},
{"type":3,"data":{"source":0,"adds":[{"parentId":2,"nextId":null,"node":{"type":3,"textContent":"hi","id":3}}],"removes":[{"parentId":2,"id":9}],"texts":[{"id":3,"value":"yo"}],"attributes":[{"id":2,"attributes":{"class":"a","style":{"color":"red"},"old":null}}]},"timestamp":3},
{"type":3,"data":{"source":1,"positions":[{"x":1.5,"y":2,"id":2,"timeOffset":-50}]},"timestamp":4},
{"type":3,"data":{"source":2,"type":2,"id":2,"x":10.25,"y":20},"timestamp":5},
{"type":3,"data":{"source":3,"id":1,"x":0,"y":300},"timestamp":6},
{"type":3,"data":{"source":4,"width":390,"height":844},"timestamp":7},
{"type":3,"data":{"source":5,"id":2,"text":"***","isChecked":true,"userTriggered":true},"timestamp":8},
{"type":5,"data":{"tag":"loupe/event","payload":{"name":"signup"}},"timestamp":9},
{"type":6,"data":{"plugin":"rrweb/console@1","payload":{"level":"error","payload":["\"boom\""]}},"timestamp":10}
]`))
	if err != nil {
		t.Fatal(err)
	}
	meta, err := events[0].DecodeMeta()
	if err != nil || meta != (MetaData{Href: "https://a.example/x?q=1", Width: 1280.5, Height: 800}) {
		t.Errorf("meta: got %+v %v", meta, err)
	}
	snap, err := events[1].DecodeFullSnapshot()
	if err != nil || snap.InitialOffset.Top != 120.5 || snap.Node.ChildNodes[0].TagName != "html" {
		t.Fatalf("full snapshot: got %+v %v", snap, err)
	}
	if got := snap.Node.ChildNodes[0].Attributes; !reflect.DeepEqual(got, Attributes{"lang": "en", "data-n": "3", "hidden": ""}) {
		t.Errorf("attributes: got %v", got)
	}
	mut, err := events[2].DecodeIncremental()
	if err != nil || mut.Source != SourceMutation || len(mut.Adds) != 1 || mut.Adds[0].NextID != nil ||
		mut.Adds[0].Node.TextContent != "hi" || mut.Removes[0].ID != 9 || *mut.Texts[0].Value != "yo" {
		t.Errorf("mutation: got %+v %v", mut, err)
	}
	if _, ok := AttrText(mut.Attributes[0].Attributes["old"]); ok {
		t.Errorf("null attribute reads as a value, want a removal")
	}
	if _, ok := AttrText(mut.Attributes[0].Attributes["style"]); ok {
		t.Errorf("style object reads as text, want no text")
	}
	move, _ := events[3].DecodeIncremental()
	if move.Source != SourceMouseMove || len(move.Positions) != 1 || move.Positions[0] != (Position{X: 1.5, Y: 2, ID: 2, TimeOffset: -50}) {
		t.Errorf("mouse move: got %+v", move)
	}
	click, _ := events[4].DecodeIncremental()
	if click.Source != SourceMouseInteraction || click.Type != Click || click.ID != 2 || click.X != 10.25 || click.Y != 20 {
		t.Errorf("click: got %+v", click)
	}
	scroll, _ := events[5].DecodeIncremental()
	if scroll.Source != SourceScroll || scroll.ID != 1 || scroll.Y != 300 {
		t.Errorf("scroll: got %+v", scroll)
	}
	resize, _ := events[6].DecodeIncremental()
	if resize.Source != SourceViewportResize || resize.Width != 390 || resize.Height != 844 {
		t.Errorf("resize: got %+v", resize)
	}
	input, _ := events[7].DecodeIncremental()
	if input.Source != SourceInput || input.ID != 2 || input.Text != "***" || !input.IsChecked || !*input.UserTriggered {
		t.Errorf("input: got %+v", input)
	}
	custom, err := events[8].DecodeCustom()
	if err != nil || custom.Tag != TagEvent || string(custom.Payload) != `{"name":"signup"}` {
		t.Errorf("custom: got %+v %v", custom, err)
	}
	plugin, err := events[9].DecodePlugin()
	if err != nil || plugin.Plugin != PluginConsole {
		t.Errorf("plugin: got %+v %v", plugin, err)
	}
	if _, err := events[0].DecodeIncremental(); !errors.Is(err, ErrWrongType) {
		t.Errorf("incremental decode of a meta event: got %v, want ErrWrongType", err)
	}
	bad := Event{Type: Meta, Data: json.RawMessage(`{"href":5}`)}
	if _, err := bad.DecodeMeta(); !errors.Is(err, ErrBadEvent) {
		t.Errorf("meta with a numeric href: got %v, want ErrBadEvent", err)
	}
	if _, err := (Event{Type: FullSnapshot, Data: json.RawMessage(`{}`)}).DecodeFullSnapshot(); !errors.Is(err, ErrBadEvent) {
		t.Errorf("snapshot without node: got %v, want ErrBadEvent", err)
	}
}

func TestCensusCountsUnknown(t *testing.T) {
	events := []Event{
		{Type: 42, Data: json.RawMessage(`{}`)},
		{Type: IncrementalSnapshot, Data: json.RawMessage(`{"source":99}`)},
		{Type: IncrementalSnapshot, Data: json.RawMessage(`{"x":1}`)},
		{Type: IncrementalSnapshot, Data: json.RawMessage(`{"source":2,"type":2,"id":1}`)},
	}
	c := Count(events)
	want := map[string]int{"event type 42": 1, "incremental source 99": 1, "unreadable incremental payload": 1}
	if !reflect.DeepEqual(c.Unknown, want) || c.Sources[SourceMouseInteraction] != 1 || c.Types[IncrementalSnapshot] != 3 {
		t.Fatalf("census: got %+v, want unknown %v", c, want)
	}
}

func TestSourceOf(t *testing.T) {
	tests := []struct {
		data string
		src  IncrementalSource
		ok   bool
	}{
		{`{"source":2,"type":2}`, SourceMouseInteraction, true},
		{`{"source":16}`, SourceCustomElement, true},
		{`{"source":123456}`, 123456, true},
		{`{"id":3,"positions":[{"source":9}],"nested":{"source":8},"s":"\"source\":7","source":1}`, SourceMouseMove, true},
		{`{"source":-1}`, -1, true}, // unknown, counted as such
		{` {"id":3, "source" : 3}`, SourceScroll, true},
		{`{"source":"3"}`, 0, false},
		{`{"source":}`, 0, false},
		{`{"source":1.5}`, 0, false},
		{`{"x":1}`, 0, false},
		{`{"source":`, 0, false},
		{`[]`, 0, false},
	}
	for _, tt := range tests {
		src, ok := SourceOf(Event{Type: IncrementalSnapshot, Data: json.RawMessage(tt.data)})
		if src != tt.src || ok != tt.ok {
			t.Errorf("SourceOf(%s): got %v %v, want %v %v", tt.data, src, ok, tt.src, tt.ok)
		}
	}
}
