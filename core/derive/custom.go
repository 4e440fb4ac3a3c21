package derive

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/rrweb"
)

func (d *deriver) custom(seq int, at int64, e rrweb.Event) {
	c, err := e.DecodeCustom()
	if err != nil {
		d.skip("unreadable custom payload")
		return
	}
	bad := func() { d.skip("unreadable " + c.Tag + " payload") }
	if strings.HasPrefix(c.Tag, "loupe/") {
		d.loupeStream = true
	}
	switch c.Tag {
	case rrweb.TagRect:
		var r struct{ ID, X, Y, W, H float64 }
		if decodePayload(c.Payload, &r) != nil {
			bad()
			return
		}
		d.rect = &rectMark{id: int(r.ID), x: r.X, y: r.Y, w: r.W, h: r.H, at: at}
	case rrweb.TagPage:
		var p pagePayload
		if decodePayload(c.Payload, &p) != nil {
			bad()
			return
		}
		d.pageSize(p)
	case rrweb.TagError:
		var p struct {
			Message, Source, Stack, Kind string
			Line, Col                    int
		}
		if decodePayload(c.Payload, &p) != nil {
			bad()
			return
		}
		src := p.Source
		if src != "" && p.Line > 0 {
			src = fmt.Sprintf("%s:%d:%d", src, p.Line, p.Col)
		}
		d.jsError(seq, at, originTracker, p.Message, src, p.Stack)
	case rrweb.TagEvent:
		var p struct {
			Name  string         `json:"name"`
			Props map[string]any `json:"props"`
		}
		if decodePayload(c.Payload, &p) != nil || p.Name == "" {
			bad()
			return
		}
		d.customEvent(at, p.Name, p.Props)
	case rrweb.TagIdentify:
		var p struct {
			ID     any            `json:"id"`
			Traits map[string]any `json:"traits"`
		}
		if decodePayload(c.Payload, &p) != nil {
			bad()
			return
		}
		if id := scalarText(p.ID); id != "" {
			d.f.Session.UserID = id
		}
		for k, v := range p.Traits {
			if d.f.Session.Traits == nil {
				d.f.Session.Traits = map[string]string{}
			}
			d.f.Session.Traits[k] = scalarText(v)
		}
	case rrweb.TagFeedback:
		var p struct {
			Kind    string  `json:"kind"`
			Score   float64 `json:"score"`
			Comment string  `json:"comment"`
		}
		if decodePayload(c.Payload, &p) != nil {
			bad()
			return
		}
		d.f.Feedback = append(d.f.Feedback, core.Feedback{
			OffsetMS: at, Pageview: d.pageIndex(), Path: d.path(),
			Kind: p.Kind, Score: int(p.Score), Comment: p.Comment,
		})
	case tagDropped:
		var p struct{ Count int }
		_ = decodePayload(c.Payload, &p)
		d.f.Uninterpreted["events dropped at capture"] += max(p.Count, 1)
	default:
		if strings.HasPrefix(c.Tag, "loupe/") || c.Tag == "" {
			d.skip("custom tag " + c.Tag)
			return
		}
		// A plain rrweb recording's addCustomEvent(tag, payload) is a
		// custom event named by its tag, so funnels can use it.
		var props map[string]any
		_ = decodePayload(c.Payload, &props)
		d.customEvent(at, c.Tag, props)
	}
}

// tagDropped is sent by the tracker when it had to drop events (a full
// buffer); the count is reported as uninterpreted so imports show it.
const tagDropped = "loupe/dropped"

func (d *deriver) customEvent(at int64, name string, props map[string]any) {
	d.f.CustomEvents = append(d.f.CustomEvents, core.CustomEvent{
		OffsetMS: at, Pageview: d.pageIndex(), Path: d.path(), Name: name, Props: props,
	})
}

// scalarText renders an identify id or trait as text; objects keep their
// JSON form.
func scalarText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
