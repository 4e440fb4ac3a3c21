package derive

import (
	"encoding/json"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/rrweb"
)

func (d *deriver) plugin(seq int, at int64, e rrweb.Event) {
	p, err := e.DecodePlugin()
	if err != nil {
		d.skip("unreadable plugin payload")
		return
	}
	switch p.Plugin {
	case rrweb.PluginConsole:
		var c struct {
			Level   string   `json:"level"`
			Trace   []string `json:"trace"`
			Payload []any    `json:"payload"`
		}
		if decodePayload(p.Payload, &c) != nil {
			d.skip("unreadable " + p.Plugin + " payload")
			return
		}
		if c.Level == "error" {
			d.jsError(seq, at, originConsole, consoleText(c.Payload), "", strings.Join(c.Trace, "\n"))
		}
	case rrweb.PluginNetwork:
		d.network(at, p.Payload)
	default:
		d.skip("plugin " + p.Plugin)
	}
}

// consoleText joins a console call's arguments. The console plugin writes
// each argument JSON-stringified, so a string arrives quoted twice.
func consoleText(args []any) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		s, ok := a.(string)
		if !ok {
			b, _ := json.Marshal(a)
			s = string(b)
		}
		var inner string
		if strings.HasPrefix(s, `"`) && decodePayload([]byte(s), &inner) == nil {
			s = inner
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// networkRequest is one entry of rrweb/network@1. Recorders disagree on
// names: the URL is "name" (PerformanceEntry) or "url"; the status
// "status" or "responseStatus".
type networkRequest struct {
	Name           string   `json:"name"`
	URL            string   `json:"url"`
	Method         string   `json:"method"`
	Status         *float64 `json:"status"`
	ResponseStatus *float64 `json:"responseStatus"`
	StartTime      float64  `json:"startTime"`
	EndTime        float64  `json:"endTime"`
	Failed         bool     `json:"failed"`
	Error          any      `json:"error"`
}

func (d *deriver) network(at int64, payload json.RawMessage) {
	var n struct {
		Requests []networkRequest `json:"requests"`
	}
	if decodePayload(payload, &n) != nil {
		d.skip("unreadable " + rrweb.PluginNetwork + " payload")
		return
	}
	for _, r := range n.Requests {
		status := r.Status
		if status == nil {
			status = r.ResponseStatus
		}
		failed := r.Failed || (r.Error != nil && r.Error != false && r.Error != "")
		if status == nil && !failed {
			// A resource timing entry without an outcome: nothing to judge.
			d.skip("request without status")
			continue
		}
		req := core.Request{
			OffsetMS: at, Pageview: d.pageIndex(), Path: d.path(),
			Method: strings.ToUpper(r.Method), URL: r.Name,
		}
		if req.URL == "" {
			req.URL = r.URL
		}
		if req.Method == "" {
			req.Method = "GET"
		}
		if status != nil {
			req.Status = int(*status)
		}
		if r.EndTime > r.StartTime {
			req.DurationMS = int64(r.EndTime - r.StartTime)
		}
		req.Failed = failed || req.Status == 0 || req.Status >= 400
		d.f.Requests = append(d.f.Requests, req)
	}
}

// Where a JS error was reported. Loupe's tracker reports uncaught errors
// both as loupe/error and, through rrweb's console plugin, as a console
// error; the pair is one error.
const (
	originTracker = iota
	originConsole
)

type errMark struct {
	mark
	origin int
	err    core.JSError
}

func (d *deriver) jsError(seq int, at int64, origin int, msg, source, stack string) {
	d.errs = append(d.errs, errMark{mark: mark{seq, at}, origin: origin, err: core.JSError{
		OffsetMS: at, Pageview: d.pageIndex(), Path: d.path(), Message: msg, Source: source, Stack: stack,
	}})
}

// dupWindowMS is how far apart the two reports of one uncaught error may
// be: both listeners run in the same dispatch.
const dupWindowMS = 1000

// finishErrors settles which reports are JS errors (docs/definitions.md): in a
// stream from Loupe's tracker, its loupe/error reports; console errors
// there are the page's own logging, and rrweb's console plugin repeats
// every uncaught error the tracker already reported. In a plain rrweb
// recording the console plugin's errors are all there is. Should a stream
// mix both without Loupe's other events, a console report that repeats a
// tracker report within a second is still counted once.
func (d *deriver) finishErrors() {
	for i, e := range d.errs {
		if e.origin == originConsole && (d.loupeStream || d.duplicated(i)) {
			continue
		}
		d.f.Errors = append(d.f.Errors, e.err)
		d.kept = append(d.kept, e.mark)
	}
}

func (d *deriver) duplicated(i int) bool {
	c := d.errs[i]
	msg := errorCore(c.err.Message)
	for _, t := range d.errs {
		if t.origin != originTracker || abs(t.at-c.at) > dupWindowMS {
			continue
		}
		tm := errorCore(t.err.Message)
		if msg == tm || (tm != "" && strings.Contains(msg, tm)) || (msg != "" && strings.Contains(tm, msg)) {
			return true
		}
	}
	return false
}

// errorCore strips the prefixes browsers and reporters add to one error.
func errorCore(m string) string {
	m = strings.TrimSpace(m)
	for _, p := range []string{"Uncaught (in promise) ", "Unhandled rejection: ", "Uncaught "} {
		m = strings.TrimPrefix(m, p)
	}
	return m
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
