package replay

import (
	"encoding/json"
	"strings"

	"github.com/loupe-dev/loupe/core/asset"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// maxImportDepth bounds nested @import inlining (a.css imports b.css ...).
const maxImportDepth = 4

// Rewrite maps every URL a replay would load through r, in full snapshots
// and in mutations (added nodes, attribute and text changes):
//
//   - src, srcset, poster, background, input[type=image] src, SVG
//     image/use/feImage href and xlink:href, link[rel=icon] href: the
//     stored copy, else the grey placeholder (images) or nothing;
//   - <link rel=stylesheet href>: when the stylesheet is stored it becomes
//     inline CSS (rrweb rebuilds a link with _cssText as <style>), its
//     url()s and @imports resolved against the stylesheet's URL and mapped
//     the same way; otherwise the href is removed;
//   - CSS in style attributes, <style> text and _cssText, and in rules
//     and declarations set through the CSSOM (StyleSheetRule,
//     StyleDeclaration, AdoptedStyleSheet events): every url() and @import.
//
// Relative references resolve against the page (the last Meta event's
// href). No http(s) URL survives in any of these places: a reference
// that is not stored becomes a placeholder. Events that need no change
// keep their bytes; an event whose payload cannot be read is left as it
// is (Sanitize already emptied unreadable snapshots and mutations). A nil
// r maps every reference to a placeholder.
func Rewrite(events []rrweb.Event, r *Resolver) []rrweb.Event {
	if r == nil {
		r = NewResolver(nil, nil, nil)
	}
	w := &rewriter{r: r, tags: map[int]string{}, rels: map[int]string{}, styleText: map[int]bool{}, sheets: map[string]string{}}
	out := make([]rrweb.Event, len(events))
	for i, e := range events {
		out[i] = e
		switch e.Type {
		case rrweb.Meta:
			var m struct {
				Href string `json:"href"`
			}
			if json.Unmarshal(e.Data, &m) == nil && m.Href != "" {
				w.page = m.Href
			}
		case rrweb.FullSnapshot:
			clear(w.tags)
			clear(w.rels)
			clear(w.styleText)
			out[i].Data = w.edit(e.Data, w.fullSnapshot)
		case rrweb.IncrementalSnapshot:
			src, ok := rrweb.SourceOf(e)
			switch {
			case !ok:
			case src == rrweb.SourceMutation:
				out[i].Data = w.edit(e.Data, w.mutation)
			case src == rrweb.SourceStyleSheetRule, src == rrweb.SourceStyleDeclaration, src == rrweb.SourceAdoptedStyleSheet:
				out[i].Data = w.edit(e.Data, w.styleRules)
			}
		}
	}
	return out
}

type rewriter struct {
	r         *Resolver
	page      string         // href of the current page, for relative URLs
	tags      map[int]string // element id → lower-case tag
	rels      map[int]string // link element id → lower-case rel
	styleText map[int]bool   // ids of text nodes inside <style>
	// sheets caches stored stylesheets rewritten at the top level, by
	// digest and URL: every full snapshot links the same ones again.
	sheets map[string]string
}

func (w *rewriter) edit(data json.RawMessage, fix func(map[string]any) bool) json.RawMessage {
	out, ok := rrweb.EditData(data, fix)
	if !ok {
		return data // what cannot be read was already emptied by Sanitize
	}
	return out
}

func (w *rewriter) fullSnapshot(m map[string]any) bool {
	n, ok := m["node"].(map[string]any)
	if !ok {
		return false
	}
	return w.node(n, "")
}

func (w *rewriter) mutation(m map[string]any) bool {
	changed := false
	if adds, ok := m["adds"].([]any); ok {
		for _, a := range adds {
			add, ok := a.(map[string]any)
			if !ok {
				continue
			}
			if n, ok := add["node"].(map[string]any); ok {
				changed = w.node(n, w.tags[rrweb.IDOf(add["parentId"])]) || changed
			}
		}
	}
	if texts, ok := m["texts"].([]any); ok {
		for _, t := range texts {
			tm, ok := t.(map[string]any)
			if !ok || !w.styleText[rrweb.IDOf(tm["id"])] {
				continue
			}
			if v, ok := tm["value"].(string); ok {
				if nv := w.css(v, w.page, 0); nv != v {
					tm["value"] = nv
					changed = true
				}
			}
		}
	}
	if attrs, ok := m["attributes"].([]any); ok {
		for _, a := range attrs {
			am, ok := a.(map[string]any)
			if !ok {
				continue
			}
			values, ok := am["attributes"].(map[string]any)
			if !ok {
				continue
			}
			id := rrweb.IDOf(am["id"])
			if rel, ok := values["rel"].(string); ok {
				w.rels[id] = strings.ToLower(rel)
			}
			changed = w.attrs(w.tags[id], w.rels[id], values, true) || changed
		}
	}
	return changed
}

// styleRules rewrites the CSS of rules inserted (or sheets replaced)
// through the CSSOM and of declarations set on a rule's style.
func (w *rewriter) styleRules(m map[string]any) bool {
	changed := false
	fix := func(holder map[string]any, key string) {
		if v, ok := holder[key].(string); ok {
			if nv := w.css(v, w.page, 0); nv != v {
				holder[key] = nv
				changed = true
			}
		}
	}
	rules := func(list any) {
		items, _ := list.([]any)
		for _, it := range items {
			if r, ok := it.(map[string]any); ok {
				fix(r, "rule")
			}
		}
	}
	rules(m["adds"])
	fix(m, "replace")
	fix(m, "replaceSync")
	if set, ok := m["set"].(map[string]any); ok {
		fix(set, "value")
	}
	if styles, ok := m["styles"].([]any); ok {
		for _, st := range styles {
			if sm, ok := st.(map[string]any); ok {
				rules(sm["rules"])
			}
		}
	}
	return changed
}

// node rewrites one serialized node and its subtree in place; parentTag
// tells a <style>'s text apart from other text.
func (w *rewriter) node(n map[string]any, parentTag string) bool {
	id := rrweb.IDOf(n["id"])
	changed := false
	switch rrweb.IDOf(n["type"]) {
	case int(rrweb.TextNode):
		isStyle, _ := n["isStyle"].(bool)
		if isStyle || parentTag == "style" {
			w.styleText[id] = true
			if v, ok := n["textContent"].(string); ok {
				if nv := w.css(v, w.page, 0); nv != v {
					n["textContent"] = nv
					changed = true
				}
			}
		} else {
			delete(w.styleText, id)
		}
		return changed
	case int(rrweb.ElementNode):
		tag, _ := n["tagName"].(string)
		tag = strings.ToLower(strings.TrimSpace(tag))
		w.tags[id] = tag
		if attrs, ok := n["attributes"].(map[string]any); ok {
			rel, _ := attrs["rel"].(string)
			rel = strings.ToLower(rel)
			if tag == "link" {
				w.rels[id] = rel
			}
			changed = w.attrs(tag, rel, attrs, false)
		}
		parentTag = tag
	default:
		parentTag = ""
	}
	if kids, ok := n["childNodes"].([]any); ok {
		for _, k := range kids {
			if km, ok := k.(map[string]any); ok {
				changed = w.node(km, parentTag) || changed
			}
		}
	}
	return changed
}

// attrKind is how one attribute of one element loads what it names.
type attrKind int

const (
	attrNone       attrKind = iota // not a load (a link, text, ...)
	attrImage                      // an image: placeholder when not stored
	attrOther                      // media, frames, objects: removed when not stored
	attrSrcset                     // a srcset list of images
	attrStyle                      // CSS declarations
	attrStylesheet                 // <link rel=stylesheet href>
	attrCSSText                    // rrweb's _cssText: a whole stylesheet
)

// kindOf classifies an attribute. Every attribute that can make a browser
// fetch is named here; the fuzz test holds Rewrite to that.
func kindOf(tag, rel, attr string) attrKind {
	a := strings.ToLower(strings.TrimSpace(attr))
	switch a {
	case "style":
		return attrStyle
	case "_csstext":
		return attrCSSText
	case "srcset", "imagesrcset":
		return attrSrcset
	case "poster", "background", "lowsrc", "dynsrc":
		return attrImage
	case "src":
		switch tag {
		case "img", "input", "source", "image":
			return attrImage
		}
		return attrOther
	case "rr_src", "data", "codebase", "manifest":
		if a == "data" && tag != "object" {
			return attrNone
		}
		return attrOther
	case "href", "xlink:href":
		switch tag {
		case "image", "use", "feimage", "svg:image", "svg:use":
			return attrImage
		case "link":
			if hasRel(rel, "stylesheet") {
				return attrStylesheet
			}
			if hasRel(rel, "icon") || hasRel(rel, "apple-touch-icon") {
				return attrImage
			}
			return attrOther // preload, prefetch, manifest ...: nothing a replay needs
		}
	}
	return attrNone
}

func hasRel(rel, want string) bool {
	for _, f := range strings.Fields(rel) {
		if f == want {
			return true
		}
	}
	return false
}

// attrs rewrites one element's attributes in place. In a mutation an
// attribute is removed by setting it to null, in a snapshot by deleting
// it.
func (w *rewriter) attrs(tag, rel string, attrs map[string]any, mutation bool) bool {
	changed := false
	set := func(k string, v any) {
		attrs[k] = v
		changed = true
	}
	remove := func(k string) {
		if mutation {
			attrs[k] = nil
		} else {
			delete(attrs, k)
		}
		changed = true
	}
	// The stylesheet's own URL is the base of its _cssText. A stored
	// stylesheet linked by a new element becomes its _cssText, already
	// rewritten, so the loop below must not rewrite it again.
	sheetBase, inlined := w.page, false
	for k, v := range attrs {
		s, ok := v.(string)
		if !ok || kindOf(tag, rel, k) != attrStylesheet {
			continue
		}
		if abs, ok := asset.Resolve(w.page, s); ok {
			sheetBase = abs
		}
		if _, has := attrs["_cssText"]; has || mutation {
			continue
		}
		if a, local, _ := w.r.lookup(s, w.page); local != "" {
			if css, ok := w.sheetText(a, 0); ok {
				delete(attrs, k)
				attrs["_cssText"] = css
				changed, inlined = true, true
				break
			}
		}
	}
	for k, v := range attrs {
		kind := kindOf(tag, rel, k)
		if kind == attrNone {
			continue
		}
		if sm, ok := v.(map[string]any); ok && kind == attrStyle {
			// rrweb records style changes as a map of property → value or
			// [value, priority].
			for prop, pv := range sm {
				switch x := pv.(type) {
				case string:
					if nv := w.css(x, w.page, 0); nv != x {
						sm[prop] = nv
						changed = true
					}
				case []any:
					if len(x) > 0 {
						if s, ok := x[0].(string); ok {
							if nv := w.css(s, w.page, 0); nv != s {
								x[0] = nv
								changed = true
							}
						}
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
		case attrStyle:
			if nv := w.css(s, w.page, 0); nv != s {
				set(k, nv)
			}
		case attrCSSText:
			if inlined {
				continue
			}
			if nv := w.css(s, sheetBase, 0); nv != s {
				set(k, nv)
			}
		case attrSrcset:
			if nv := w.srcset(s); nv != s {
				set(k, nv)
			}
		case attrImage, attrOther:
			_, local, keep := w.r.lookup(s, w.page)
			switch {
			case keep:
			case local != "":
				if local != s {
					set(k, local)
				}
			case kind == attrImage:
				set(k, PlaceholderImage)
			default:
				remove(k)
			}
		case attrStylesheet:
			_, local, keep := w.r.lookup(s, w.page)
			if keep {
				continue
			}
			if _, has := attrs["_cssText"]; has {
				// The stylesheet's text is there (recorded, or inlined
				// above); the href is not needed.
				remove(k)
				continue
			}
			if local != "" {
				if local != s {
					set(k, local)
				}
				continue
			}
			remove(k)
		}
	}
	return changed
}

// sheetText reads a stored stylesheet and rewrites it against its own URL.
func (w *rewriter) sheetText(a Asset, depth int) (string, bool) {
	if w.r.text == nil || depth >= maxImportDepth {
		return "", false
	}
	// The same bytes at another URL resolve their url()s differently.
	key := a.SHA256 + " " + a.URL
	if css, ok := w.sheets[key]; ok && depth == 0 {
		return css, true
	}
	css, ok := w.r.text(a)
	if !ok {
		return "", false
	}
	out := w.css(css, a.URL, depth+1)
	if depth == 0 {
		w.sheets[key] = out
	}
	return out, true
}

// srcset rewrites each candidate: the stored copy, else the placeholder.
func (w *rewriter) srcset(s string) string {
	return asset.RewriteSrcset(s, func(raw string) (string, bool) {
		_, local, keep := w.r.lookup(raw, w.page)
		switch {
		case keep:
			return "", false
		case local != "":
			return local, true
		}
		return PlaceholderImage, true
	})
}
