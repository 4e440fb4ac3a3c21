package generate

import (
	"encoding/json"
	"fmt"
	"time"
)

// BatchOptions shape the ingest batches of a load test.
type BatchOptions struct {
	Batches, Sessions, Events int
	// Name goes into session and visitor ids (s_NAME000001) and the
	// tracker field, so a store shows which tool sent what.
	Name string
	// Origin is the page origin the batches' Meta events name.
	Origin string
}

// IngestBatch is one tracker batch as the collector receives it (plain
// JSON) and the session it belongs to.
type IngestBatch struct {
	Session string
	Events  int
	Body    []byte
}

// IngestBatches builds the bodies a load test posts, before any clock
// starts: batch k belongs to session k mod Sessions with the next seq of
// that session, and the first batch of a session opens with a Meta event;
// the rest are mouse moves and, every tenth event, a click, as a
// recording of someone using a page sends.
func IngestBatches(o BatchOptions) ([]IngestBatch, error) {
	out := make([]IngestBatch, o.Batches)
	base := time.Now().Add(-time.Hour).UnixMilli()
	for k := range out {
		s, seq := k%o.Sessions, k/o.Sessions
		session := fmt.Sprintf("s_%s%06d", o.Name, s)
		events := make([]json.RawMessage, 0, o.Events)
		ts := base + int64(k)*20
		for e := 0; e < o.Events; e++ {
			var ev string
			switch {
			case seq == 0 && e == 0:
				ev = fmt.Sprintf(`{"type":4,"data":{"href":"%s/p/%d","width":1280,"height":800},"timestamp":%d}`, o.Origin, s%7, ts)
			case e%10 == 9:
				ev = fmt.Sprintf(`{"type":3,"data":{"source":2,"type":2,"id":%d,"x":%d,"y":%d},"timestamp":%d}`, 10+e, e*11%1280, e*7%800, ts+int64(e))
			default:
				ev = fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":%d,"id":%d,"timeOffset":0}]},"timestamp":%d}`, (k+e)*13%1280, (k+e)*17%800, 10+e, ts+int64(e))
			}
			events = append(events, json.RawMessage(ev))
		}
		body, err := json.Marshal(map[string]any{
			"site": "demo", "session": session, "visitor": fmt.Sprintf("v_%s%06d", o.Name, s), "seq": seq,
			"sent_at": ts + int64(o.Events), "tracker": o.Name, "events": events,
		})
		if err != nil {
			return nil, err
		}
		out[k] = IngestBatch{Session: session, Events: o.Events, Body: body}
	}
	return out, nil
}
