package replay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/asset"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// localRef reports whether a reference left in a load position stays on
// this machine: a stored asset, an inline data:/blob: URL, a fragment or
// nothing.
func localRef(v string) bool {
	s := squash(v)
	return s == "" || strings.HasPrefix(s, "/asset/") || strings.HasPrefix(s, "data:") ||
		strings.HasPrefix(s, "blob:") || strings.HasPrefix(s, "about:") || strings.HasPrefix(s, "#")
}

// remoteRefs lists every reference a rewritten event still loads that is
// not local.
func remoteRefs(e rrweb.Event) []string {
	cssom := false
	if e.Type != rrweb.FullSnapshot {
		src, ok := rrweb.SourceOf(e)
		if !ok || e.Type != rrweb.IncrementalSnapshot {
			return nil
		}
		switch src {
		case rrweb.SourceMutation:
		case rrweb.SourceStyleSheetRule, rrweb.SourceStyleDeclaration, rrweb.SourceAdoptedStyleSheet:
			cssom = true
		default:
			return nil
		}
	}
	var v any
	if json.Unmarshal(e.Data, &v) != nil {
		return nil
	}
	var bad []string
	check := func(ref string) {
		if !localRef(ref) {
			bad = append(bad, ref)
		}
	}
	checkCSS := func(css string) {
		for _, u := range asset.ScanCSS(css, "https://shop.test/") {
			check(u.Raw)
		}
	}
	tags := map[float64]string{}
	var walkAttrs func(tag string, attrs map[string]any)
	walkAttrs = func(tag string, attrs map[string]any) {
		rel, _ := attrs["rel"].(string)
		for k, v := range attrs {
			kind := kindOf(tag, strings.ToLower(rel), k)
			if m, ok := v.(map[string]any); ok && kind == attrStyle {
				for _, pv := range m {
					if s, ok := pv.(string); ok {
						checkCSS(s)
					}
					if a, ok := pv.([]any); ok && len(a) > 0 {
						if s, ok := a[0].(string); ok {
							checkCSS(s)
						}
					}
				}
				continue
			}
			s, ok := v.(string)
			if !ok {
				continue
			}
			switch kind {
			case attrStyle, attrCSSText:
				checkCSS(s)
			case attrSrcset:
				for _, c := range asset.ParseSrcset(s) {
					check(c.URL)
				}
			case attrImage, attrOther, attrStylesheet:
				check(s)
			}
		}
	}
	// The walk follows rrweb's structure, as a replayer reads it.
	var node func(n map[string]any, parentTag string)
	node = func(n map[string]any, parentTag string) {
		typ, _ := n["type"].(float64)
		tag := ""
		switch typ {
		case float64(rrweb.ElementNode):
			tag, _ = n["tagName"].(string)
			tag = strings.ToLower(strings.TrimSpace(tag))
			if id, ok := n["id"].(float64); ok {
				tags[id] = tag
			}
			if attrs, ok := n["attributes"].(map[string]any); ok {
				walkAttrs(tag, attrs)
			}
		case float64(rrweb.TextNode):
			if isStyle, _ := n["isStyle"].(bool); isStyle || parentTag == "style" {
				if s, ok := n["textContent"].(string); ok {
					checkCSS(s)
				}
			}
		}
		if typ != float64(rrweb.DocumentNode) && typ != float64(rrweb.ElementNode) {
			return // rrweb builds children of documents and elements only
		}
		kids, _ := n["childNodes"].([]any)
		for _, k := range kids {
			if km, ok := k.(map[string]any); ok {
				node(km, tag)
			}
		}
	}
	walk := func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if e.Type == rrweb.FullSnapshot {
			if n, ok := m["node"].(map[string]any); ok {
				node(n, "")
			}
			return
		}
		if cssom {
			cssIn := func(holder any, key string) {
				if h, ok := holder.(map[string]any); ok {
					if s, ok := h[key].(string); ok {
						checkCSS(s)
					}
				}
			}
			ruleList := func(list any) {
				items, _ := list.([]any)
				for _, it := range items {
					cssIn(it, "rule")
				}
			}
			ruleList(m["adds"])
			cssIn(m, "replace")
			cssIn(m, "replaceSync")
			cssIn(m["set"], "value")
			styles, _ := m["styles"].([]any)
			for _, st := range styles {
				if sm, ok := st.(map[string]any); ok {
					ruleList(sm["rules"])
				}
			}
			return
		}
		adds, _ := m["adds"].([]any)
		for _, a := range adds {
			if am, ok := a.(map[string]any); ok {
				if n, ok := am["node"].(map[string]any); ok {
					pid, _ := am["parentId"].(float64)
					node(n, tags[pid])
				}
			}
		}
		attrs, _ := m["attributes"].([]any)
		for _, a := range attrs {
			am, ok := a.(map[string]any)
			if !ok {
				continue
			}
			id, _ := am["id"].(float64)
			if values, ok := am["attributes"].(map[string]any); ok {
				walkAttrs(tags[id], values)
			}
		}
	}
	walk(v)
	return bad
}

func FuzzRewrite(f *testing.F) {
	f.Add(`{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"img","attributes":{"src":"https://a.test/x.png","srcset":"//b.test/y.png 2x, z.png 3x","style":"background:url(q.png)"},"childNodes":[]}]}}`, 2)
	f.Add(`{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"link","attributes":{"rel":"stylesheet","href":"https://shop.test/css/main.css"},"childNodes":[]},{"type":2,"id":3,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":4,"isStyle":true,"textContent":"@import 'http://x.test/a.css'; @font-face{src:url(http://x.test/f.woff)} a{background:image-set('http://x.test/i.png' 1x)}"}]}]}}`, 2)
	f.Add(`{"source":0,"adds":[{"parentId":1,"node":{"type":2,"id":9,"tagName":"video","attributes":{"poster":"http://x.test/p.jpg","src":"http://x.test/v.mp4"},"childNodes":[]}}],"attributes":[{"id":9,"attributes":{"style":{"background":["url(http://x.test/b.png)","important"]},"src":"HTTPS://X.TEST/V"}}],"texts":[],"removes":[]}`, 3)
	f.Add(`{"source":8,"id":3,"adds":[{"rule":".a{background:url(http://x.test/r.png)}","index":0}],"replace":"@import 'http://x.test/i.css';"}`, 3)
	f.Add(`{"source":13,"id":3,"index":[0],"set":{"property":"background","value":"url(//x.test/d.png)","priority":""}}`, 3)
	f.Add(`{"source":15,"id":1,"styleIds":[1],"styles":[{"styleId":1,"rules":[{"rule":"@font-face{src:url(https://x.test/f.woff)}"}]}]}`, 3)
	f.Add(`{"source":0,"adds":[],"attributes":[{"id":2,"attributes":{"_cssText":"a{b:url(  \"http://x\"  )}","xlink:href":" h\ttp://x"}}],"texts":[],"removes":[]}`, 3)
	r := testResolver(WorkbenchLink)
	f.Fuzz(func(t *testing.T, data string, typ int) {
		et := rrweb.FullSnapshot
		if typ%2 == 1 {
			et = rrweb.IncrementalSnapshot
		}
		events := []rrweb.Event{
			{Type: rrweb.Meta, Timestamp: 1, Data: json.RawMessage(`{"href":"https://shop.test/","width":1,"height":1}`)},
			{Type: et, Timestamp: 2, Data: json.RawMessage(data)},
		}
		if et == rrweb.IncrementalSnapshot {
			// Let the snapshot register ids 1..9 so attribute changes have tags.
			events = append(events[:1], rrweb.Event{Type: rrweb.FullSnapshot, Timestamp: 2, Data: json.RawMessage(
				`{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"link","attributes":{"rel":"stylesheet"},"childNodes":[]},{"type":2,"id":9,"tagName":"img","attributes":{},"childNodes":[]}]}}`)},
				events[1])
		}
		out := Prepare(events, r)
		for _, e := range out {
			if !json.Valid(e.Data) {
				continue
			}
			if bad := remoteRefs(e); len(bad) > 0 {
				t.Fatalf("remote references survived: %q\nin %s", bad, e.Data)
			}
		}
	})
}
