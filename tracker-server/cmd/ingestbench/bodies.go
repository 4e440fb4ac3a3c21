package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"time"
)

// origin is the page origin every batch claims; the collector's default
// sites accept the key "demo" from it.
const origin = "http://localhost:8080"

// request is one pre-made ingest POST.
type request struct {
	session string
	body    []byte
}

// makeRequests builds every body before any clock starts: batch k belongs
// to session k mod sessions with the next seq of that session, and the
// first batch of a session opens with a Meta event, then mouse moves and
// clicks as a recording of someone using a page sends.
func makeRequests(opts options) ([]request, error) {
	out := make([]request, opts.batches)
	base := time.Now().Add(-time.Hour).UnixMilli()
	for k := range out {
		s, seq := k%opts.sessions, k/opts.sessions
		session := fmt.Sprintf("s_bench%06d", s)
		events := make([]json.RawMessage, 0, opts.events)
		ts := base + int64(k)*20
		for e := 0; e < opts.events; e++ {
			var ev string
			switch {
			case seq == 0 && e == 0:
				ev = fmt.Sprintf(`{"type":4,"data":{"href":"%s/p/%d","width":1280,"height":800},"timestamp":%d}`, origin, s%7, ts)
			case e%10 == 9:
				ev = fmt.Sprintf(`{"type":3,"data":{"source":2,"type":2,"id":%d,"x":%d,"y":%d},"timestamp":%d}`, 10+e, e*11%1280, e*7%800, ts+int64(e))
			default:
				ev = fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":%d,"id":%d,"timeOffset":0}]},"timestamp":%d}`, (k+e)*13%1280, (k+e)*17%800, 10+e, ts+int64(e))
			}
			events = append(events, json.RawMessage(ev))
		}
		body, err := json.Marshal(map[string]any{
			"site": "demo", "session": session, "visitor": fmt.Sprintf("v_bench%06d", s), "seq": seq,
			"sent_at": ts + int64(opts.events), "tracker": "ingestbench", "events": events,
		})
		if err != nil {
			return nil, err
		}
		if !opts.plain {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(body)
			if err := zw.Close(); err != nil {
				return nil, err
			}
			body = buf.Bytes()
		}
		out[k] = request{session: session, body: body}
	}
	return out, nil
}
