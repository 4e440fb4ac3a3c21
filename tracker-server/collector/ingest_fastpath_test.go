package collector

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/loupe-dev/loupe/core/asset"
)

// The ingest fast path (scanBatch, canonicalEvent, readEnvelope,
// appendBatchFrame, assetRelevant) must give exactly what the
// encoding/json path gives; these tests compare the two on the same input.

// fastPathSeeds are bodies as the tracker writes them (compact) and as
// other clients might (spaces, escapes, other key case, odd values).
var fastPathSeeds = []string{
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":3,"sent_at":1764195600000,"tracker":"0.1.0","events":[{"type":4,"data":{"href":"http://localhost:3000/a?b=1&c=<2>","width":1280,"height":800},"timestamp":1764195599000},{"type":3,"data":{"source":1,"positions":[{"x":1,"y":2,"id":3,"timeOffset":0}]},"timestamp":1764195599001.5}]}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":0,"events":[]}`,
	`{"Site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":0,"events":[{"type":3,"timestamp":1}]}`,
	`{"site":"de\u006do","session":"s_fastpath1","visitor":"v_fastpath1","seq":0,"events":[{"type":3,"timestamp":1}]}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":1.0,"events":[{"type":3,"timestamp":1}]}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":2,"seq":5,"events":[{"TYPE":3,"timestamp":1}]}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":2,"events":[{"type":3,"timestamp":1} ,{"type": 2, "timestamp" : 2e3}]} `,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":2,"events":[{"type":3.5,"timestamp":1},{"type":3,"timestamp":null}]}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":2,"events":[{"type":3,"timestamp":-1}]}{}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":2,"extra":{"a":[1,"]}"]},"events":[{"type":3,"data":{"s":"\u2028 \"<\\"},"timestamp":1}]}`,
	`{"site":"demo","session":"s_fastpath1","visitor":"v_fastpath1","seq":2,"events":[{"type":3,"timestamp":1,"timeſtamp":"x"}]}`,
}

// FuzzScanBatch checks that whenever scanBatch reads a body, encoding/json
// reads the same batch from it, and that DecodeBatch's verdict and events
// match a decode forced through encoding/json.
func FuzzScanBatch(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add([]byte(s))
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "batches", "*.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok := scanBatch(body)
		slow, err := decodeBatchJSON(body)
		if ok {
			if err != nil {
				t.Fatalf("scanBatch read a body encoding/json refuses (%v)", err)
			}
			if fast.Site != slow.Site || fast.Session != slow.Session || fast.Visitor != slow.Visitor ||
				fast.Seq != slow.Seq || fast.SentAt != slow.SentAt || fast.Tracker != slow.Tracker ||
				!slices.EqualFunc(fast.Events, slow.Events, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) ||
				(fast.Events == nil) != (slow.Events == nil) {
				t.Fatalf("scanBatch read %+v, encoding/json %+v", fast, slow)
			}
		}
		if err != nil {
			return
		}
		// The events of a decodable body: each one's fast verdict must
		// match checkEvent's, and its canonical form json.Compact and
		// json.HTMLEscape's.
		for _, ev := range slow.Events {
			checkEventFastPath(t, ev)
		}
	})
}

// checkEventFastPath compares canonicalEvent and readEnvelope on one
// valid JSON value with encoding/json.
func checkEventFastPath(t *testing.T, ev json.RawMessage) {
	t.Helper()
	var compact, want bytes.Buffer
	if err := json.Compact(&compact, ev); err != nil {
		return
	}
	json.HTMLEscape(&want, compact.Bytes())
	got := canonicalEvent(ev)
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("canonicalEvent(%q) = %q, want %q", ev, got, want.Bytes())
	}
	if len(got) == 0 || got[0] != '{' {
		return
	}
	env, sure := readEnvelope(got)
	if !sure {
		return
	}
	if err := checkEvent(got); err != nil && !(env.timestamp < 0 || env.timestamp > maxSeq) {
		t.Fatalf("readEnvelope accepted %q, checkEvent says %v", got, err)
	}
	var probe struct {
		Type      int64           `json:"type"`
		Timestamp float64         `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(got, &probe); err != nil {
		t.Fatalf("readEnvelope accepted %q, encoding/json: %v", got, err)
	}
	if probe.Type != env.typ || probe.Timestamp != env.timestamp || !bytes.Equal(probe.Data, env.data) {
		t.Fatalf("readEnvelope(%q) = %+v, encoding/json reads %+v", got, env, probe)
	}
}

// FuzzCanonicalEvent compares canonicalEvent and readEnvelope with
// encoding/json on arbitrary valid JSON.
func FuzzCanonicalEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":3,"data":{"source":0,"adds":[{"node":{"textContent":"a <b> & c \u2028 d"}}]},"timestamp":1}`,
		"{ \"type\" : 2 ,\n\t\"data\":{\"s\":\"  spaced \\\" < \"}, \"timestamp\": 1.5e3 }",
		"{\"type\":3,\"timestamp\":1,\"s\":\"\xe2\x80\xa9\xe2\x80\xa8\xe2\x80\"}",
		`{"type":3,"Type":2,"timestamp":1}`, `{"type":1e2,"timestamp":1}`, `{"type":3,"timestamp":1e400}`,
		`[1, 2, {"a" : "<"}]`, `"x"`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, ev []byte) {
		if !json.Valid(ev) {
			return
		}
		checkEventFastPath(t, ev)
	})
}

// TestAppendBatchFrame checks the assembled frame against the encoding/json
// one, for records with and without the optional fields and with events
// needing escapes.
func TestAppendBatchFrame(t *testing.T) {
	events := []json.RawMessage{canonicalEvent(json.RawMessage(`{"type":3,"data":{"s":"<a href=\"x\">&amp;</a>"},"timestamp":1}`)),
		json.RawMessage(`{"type":4,"data":{},"timestamp":2.5}`)}
	for _, rec := range []batchRecord{
		{Seq: 0, ReceivedAt: 1764195600000, Events: events},
		{Seq: 1 << 50, ReceivedAt: -1, SentAt: 17, Tracker: `0.1.0 "<beta>" é`, Events: events},
		{Seq: 2, ReceivedAt: 3, Events: []json.RawMessage{}},
		{Seq: 2, ReceivedAt: 3},
	} {
		payload, err := encodeRecord(kindBatch, rec)
		if err != nil {
			t.Fatal(err)
		}
		want := appendFrame([]byte("prefix"), payload)
		if got := appendBatchFrame([]byte("prefix"), rec); !bytes.Equal(got, want) {
			t.Errorf("appendBatchFrame(%+v) =\n%q\nencoding/json frame:\n%q", rec, got, want)
		}
	}
}

// TestAssetRelevantKeepsEveryURL extracts a recording's assets from every
// event and from only the events assetRelevant keeps: the URLs found, and
// their order, must be the same.
func TestAssetRelevantKeepsEveryURL(t *testing.T) {
	recording := []string{
		`{"type":4,"data":{"href":"https://shop.example/p/1","width":1280,"height":800},"timestamp":1}`,
		`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"head","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":5,"textContent":"body{background:url(bg.png)}"}]},{"type":2,"id":6,"tagName":"link","attributes":{"rel":"stylesheet","href":"/main.css"},"childNodes":[]}]},{"type":2,"id":7,"tagName":"body","attributes":{},"childNodes":[{"type":2,"id":8,"tagName":"img","attributes":{"src":"a.png","srcset":"a2.png 2x"},"childNodes":[]}]}]}]},"initialOffset":{"left":0,"top":0}},"timestamp":2}`,
		`{"type":3,"data":{"source":1,"positions":[{"x":1,"y":2,"id":8,"timeOffset":0}]},"timestamp":3}`,
		`{"type":3,"data":{"source":2,"type":2,"id":8,"x":1,"y":2},"timestamp":4}`,
		`{"type":3,"data":{"source":3,"id":1,"x":0,"y":50},"timestamp":5}`,
		`{"type":3,"data":{"source":5,"text":"url(nothing.png)","isChecked":false,"id":8},"timestamp":6}`,
		`{"type":3,"data":{"source":0,"texts":[{"id":5,"value":"body{background:url(bg2.png)}"}],"attributes":[{"id":8,"attributes":{"src":"b.png","style":{"background-image":"url(c.png)"}}}],"removes":[],"adds":[{"parentId":7,"nextId":null,"node":{"type":2,"id":9,"tagName":"img","attributes":{"src":"d.png"},"childNodes":[]}}]},"timestamp":7}`,
		`{"type":3,"data":{"source":8,"id":4,"adds":[{"rule":".x{background:url(e.png)}","index":0}]},"timestamp":8}`,
		`{"type":3,"data":{"source":13,"id":4,"index":[0],"set":{"property":"background","value":"url(f.png)"}},"timestamp":9}`,
		`{"type":3,"data":{"source":15,"id":1,"styleIds":[1],"styles":[{"styleId":1,"rules":[{"rule":".y{background:url(g.png)}"}]}]},"timestamp":10}`,
		`{"type":3,"data":{"type":2,"source":2,"id":8,"x":1,"y":2},"timestamp":11}`,
		`{"type":5,"data":{"tag":"loupe/event","payload":{"url":"h.png"}},"timestamp":12}`,
		`{"type":4,"data":{"href":"https://shop.example/q/2","width":1280,"height":800},"timestamp":13}`,
		`{"type":3,"data":{"source":0,"texts":[],"attributes":[],"removes":[],"adds":[{"parentId":7,"nextId":null,"node":{"type":2,"id":10,"tagName":"img","attributes":{"src":"rel.png"},"childNodes":[]}}]},"timestamp":14}`,
	}
	all, kept := asset.NewExtractor(), asset.NewExtractor()
	var skipped int
	for _, s := range recording {
		ev := canonicalEvent(json.RawMessage(s))
		all.AddRaw(ev)
		env, sure := readEnvelope(ev)
		if !sure {
			t.Fatalf("envelope of %s not read", s)
		}
		if assetRelevant(env) {
			kept.AddRaw(ev)
		} else {
			skipped++
		}
	}
	urls := func(refs []asset.Ref) []string {
		var out []string
		for _, r := range refs {
			out = append(out, r.URL)
		}
		return out
	}
	// The order of one mutation's attribute changes follows a map, so
	// the lists are compared as sets.
	want, got := urls(all.Refs()), urls(kept.Refs())
	slices.Sort(want)
	slices.Sort(got)
	if len(want) < 8 {
		t.Fatalf("the recording names only %d URLs (%v); the comparison would prove little", len(want), want)
	}
	if !slices.Equal(got, want) {
		t.Errorf("URLs from the kept events:\n%v\nfrom every event:\n%v", got, want)
	}
	if skipped != 6 {
		t.Errorf("skipped %d events, want the 6 that cannot name an asset", skipped)
	}
}
