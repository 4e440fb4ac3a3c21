package derive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// payloadSeeds are recordings whose custom and plugin payloads cover
// every kind the deriver reads, of the right types and of wrong ones (a
// payload is always valid JSON: the recording it sits in was decoded),
// so fuzzing starts where the two decoders could part.
func payloadSeeds() [][]byte {
	payloads := map[string][]string{
		rrweb.TagRect:     {`{"id":3,"x":1.5,"y":2,"w":30,"h":40}`, `{"id":"3","x":1}`, `{"ID":3,"X":1,"Y":2,"W":3,"H":4}`},
		rrweb.TagPage:     {`{"doc_height":2400,"doc_width":1280,"viewport":{"w":1280,"h":800}}`, `{"doc_height":"tall"}`},
		rrweb.TagError:    {`{"message":"boom","source":"app.js","line":3,"col":9,"stack":"at x","kind":"error"}`, `{"message":7}`, `{"MESSAGE":"case"}`},
		rrweb.TagEvent:    {`{"name":"signup","props":{"plan":"pro","seats":3,"trial":true,"tags":["a"],"n":null}}`, `{"name":"x","props":[1,2]}`, `{"name":"dup","name":"last"}`, `{"name":"\ud800x"}`},
		rrweb.TagIdentify: {`{"id":42,"traits":{"plan":"pro","age":31.5,"vip":true,"addr":{"city":"Oslo"}}}`, `{"id":{"a":1},"traits":[1]}`, `{"id":"u1","traits":{"a":1,"b":"x","c":{"d":[1,"2"]}}}`},
		rrweb.TagFeedback: {`{"kind":"csat","score":4,"comment":"ok"}`, `{"kind":"nps","score":"9"}`, `{"kind":"nps","score":1e400}`},
		tagDropped:        {`{"count":12}`, `{"count":"many"}`, `{"count":3.7}`},
		"checkout_step":   {`{"step":2,"total":"19.90"}`, `[1,2,3]`, `{"a":1,"a":{"b":2}}`, `{"a":1,"b":true,"c":-0.0,"d":1E2}`},
	}
	plugins := map[string][]string{
		rrweb.PluginConsole: {`{"level":"error","trace":["at a","at b"],"payload":["\"quoted\"",{"x":1},3]}`, `{"level":"error","trace":"one","payload":["x"]}`, `{"level":"error","payload":["\"bad\\q\""]}`},
		rrweb.PluginNetwork: {`{"requests":[{"name":"https://x.test/a","method":"post","status":500,"startTime":1,"endTime":9},{"url":"/b","responseStatus":404},{"name":"/c","failed":true,"error":"net"}]}`, `{"requests":[{"status":"200"}]}`, `{"requests":{"name":"x"}}`},
	}
	var seeds [][]byte
	meta := `{"type":4,"data":{"href":"https://shop.test/","width":1280,"height":800},"timestamp":1000}`
	for tag, list := range payloads {
		for i, p := range list {
			seeds = append(seeds, []byte(fmt.Sprintf(`[%s,{"type":5,"data":{"tag":%q,"payload":%s},"timestamp":%d}]`, meta, tag, p, 2000+i)))
		}
	}
	for plugin, list := range plugins {
		for i, p := range list {
			seeds = append(seeds, []byte(fmt.Sprintf(`[%s,{"type":6,"data":{"plugin":%q,"payload":%s},"timestamp":%d}]`, meta, plugin, p, 2000+i)))
		}
	}
	return seeds
}

// FuzzPayloadDecoders derives the same recording with the payload
// decoder the deriver uses and with encoding/json alone: the facts must
// be the same, for payloads well formed or not.
func FuzzPayloadDecoders(f *testing.F) {
	for _, s := range payloadSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := rrweb.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		fast := deriveJSON(t, events, decodePayload)
		plain := deriveJSON(t, events, json.Unmarshal)
		if fast != plain {
			t.Fatalf("the payload decoders disagree\nfast:  %s\nplain: %s", fast, plain)
		}
	})
}

// TestPayloadSeedsDecodeAlike runs the seeds in every `go test`, and
// checks they reach the facts (a seed that never decodes tests nothing).
func TestPayloadSeedsDecodeAlike(t *testing.T) {
	customs := 0
	for _, s := range payloadSeeds() {
		events, err := rrweb.Decode(bytes.NewReader(s))
		if err != nil {
			t.Fatalf("seed %s: %v", s, err)
		}
		fast := deriveJSON(t, events, decodePayload)
		if plain := deriveJSON(t, events, json.Unmarshal); fast != plain {
			t.Fatalf("seed %s: the payload decoders disagree\nfast:  %s\nplain: %s", s, fast, plain)
		}
		if strings.Contains(fast, `"custom_events":[{`) || strings.Contains(fast, `"CustomEvents":[{`) {
			customs++
		}
	}
	if customs == 0 {
		t.Fatal("no seed produced a custom event")
	}
}

// deriveJSON derives events with decode as the payload decoder and
// returns the facts as JSON.
func deriveJSON(t *testing.T, events []rrweb.Event, decode func([]byte, any) error) string {
	t.Helper()
	saved := decodePayload
	decodePayload = decode
	defer func() { decodePayload = saved }()
	facts := Session(archive.Header{Session: "fuzz"}, events, core.Default())
	b, err := json.Marshal(facts)
	if err != nil {
		return "unencodable: " + err.Error()
	}
	return string(b)
}
