package rrweb

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
)

// Sanitize returns a copy of events that a replay can rebuild without
// running anything the recorded page carried. The replay
// iframe is sandboxed without allow-scripts as well; this is the second
// wall, for recordings crafted to escape a weaker player (rrweb issues
// 1528, 1817, 1913).
//
// In full snapshots and mutations it (and depth.go, which flattens trees
// nested deeper than MaxReplayDepth):
//
//   - replaces every <script> element with an empty comment of the same id
//     and drops later mutations that would write into it;
//
//   - removes every on* event-handler attribute and srcdoc;
//
//   - neutralises javascript:, vbscript: and HTML/SVG data: URLs in
//     attributes that navigate or load (href, src, action, formaction,
//     xlink:href, ...) by replacing them with about:blank;
//
//   - removes <base href> and every <meta http-equiv> but content type and
//     language (refresh navigates, x-dns-prefetch-control turns on
//     lookups of every link's host, set-cookie and link act on the page);
//
//   - removes <use href> that points outside the recorded page, and
//     points every frame's src at about:blank (the recording holds the
//     frame's document; its address would only be contacted);
//
//   - removes the rel of every <link> that is not a stylesheet or an icon:
//     resource hints (preconnect, dns-prefetch, prefetch, preload,
//     modulepreload, prerender) make the analyst's machine contact hosts
//     the recording names, and no other kind of link is needed to replay.
//
// The walk follows the order the player plays: rrweb's Replayer stably
// sorts events by timestamp before applying them, so a mutation placed
// after a later-timestamped snapshot in the array is applied before it.
// Checking in array order would let it dodge the snapshot's reset of
// what is blocked; Sanitize sorts the same way first and returns the
// events in that order.
//
// Events that need no change keep their bytes; an event whose payload
// cannot be read is replaced by an empty mutation, since what cannot be
// checked cannot be replayed safely.
func Sanitize(events []Event) []Event {
	return sanitizeInOrder(PlayOrder(events))
}

// sanitizeInOrder sanitizes events in the order given, which must be the
// order they are applied in.
func sanitizeInOrder(out []Event) []Event {
	s := sanitizer{tags: map[int]string{}, blocked: map[int]bool{}, depth: newDepthLimit()}
	for i, e := range out {
		switch e.Type {
		case FullSnapshot:
			clear(s.tags)
			clear(s.blocked)
			s.depth.reset()
			out[i].Data = s.rewrite(e.Data, s.fullSnapshot)
		case IncrementalSnapshot:
			if src, ok := SourceOf(e); ok && src == SourceMutation {
				out[i].Data = s.rewrite(e.Data, s.mutation)
			}
		}
	}
	return out
}

// PlayOrder returns a copy of events in the order rrweb's Replayer applies
// them: sorted by timestamp, ties kept in recorded order (its sort is
// JavaScript's stable Array.prototype.sort on a.timestamp - b.timestamp).
func PlayOrder(events []Event) []Event {
	out := slices.Clone(events)
	slices.SortStableFunc(out, func(a, b Event) int { return cmp.Compare(a.Timestamp, b.Timestamp) })
	return out
}

// emptyMutation stands in for a mutation that could not be checked.
var emptyMutation = json.RawMessage(`{"source":0,"texts":[],"attributes":[],"removes":[],"adds":[]}`)

type sanitizer struct {
	tags    map[int]string // element id → lower-case tag, for attribute changes
	blocked map[int]bool   // ids of removed scripts and everything under them
	depth   *depthLimit    // flattens trees nested deeper than MaxReplayDepth
}

func (s *sanitizer) rewrite(data json.RawMessage, fix func(map[string]any) bool) json.RawMessage {
	out, ok := EditData(data, fix)
	if !ok {
		return emptyMutation
	}
	return out
}

func (s *sanitizer) fullSnapshot(m map[string]any) bool {
	n, ok := m["node"].(map[string]any)
	if !ok {
		return false
	}
	repl, changed := s.node(n)
	if repl != nil {
		m["node"] = repl
		n = repl
	}
	return s.depth.tree(n, 0, -1) || changed
}

func (s *sanitizer) mutation(m map[string]any) bool {
	changed := false
	if adds, ok := m["adds"].([]any); ok {
		kept := adds[:0]
		for _, a := range adds {
			add, ok := a.(map[string]any)
			if !ok {
				changed = true
				continue
			}
			n, _ := add["node"].(map[string]any)
			if s.blocked[IDOf(add["parentId"])] {
				if n != nil {
					s.block(n)
				}
				changed = true
				continue
			}
			if n != nil {
				repl, c := s.node(n)
				if repl != nil {
					add["node"] = repl
				}
				changed = changed || c
			}
			kept = append(kept, add)
		}
		placed, flattened := s.depth.adds(kept)
		m["adds"] = placed
		changed = changed || flattened
	}
	if texts, ok := m["texts"].([]any); ok {
		kept := texts[:0]
		for _, t := range texts {
			if tm, ok := t.(map[string]any); ok && !s.blocked[IDOf(tm["id"])] {
				kept = append(kept, t)
				continue
			}
			changed = true
		}
		m["texts"] = kept
	}
	if attrs, ok := m["attributes"].([]any); ok {
		kept := attrs[:0]
		for _, a := range attrs {
			am, ok := a.(map[string]any)
			if !ok || s.blocked[IDOf(am["id"])] {
				changed = true
				continue
			}
			if values, ok := am["attributes"].(map[string]any); ok {
				changed = sanitizeAttrs(s.tags[IDOf(am["id"])], values) || changed
			}
			kept = append(kept, a)
		}
		m["attributes"] = kept
	}
	return changed
}

// node sanitizes one serialized node and its subtree in place. It returns a
// replacement when the node itself must go (a script).
func (s *sanitizer) node(n map[string]any) (map[string]any, bool) {
	id := IDOf(n["id"])
	delete(s.blocked, id) // an id reused by a new, checked node
	if typ := IDOf(n["type"]); typ != int(ElementNode) {
		return nil, s.children(n)
	}
	tag, _ := n["tagName"].(string)
	tag = strings.ToLower(strings.TrimSpace(tag))
	s.tags[id] = tag
	if tag == "script" || strings.HasSuffix(tag, ":script") {
		s.block(n)
		repl := map[string]any{"type": int(CommentNode), "id": n["id"], "textContent": ""}
		if root, ok := n["rootId"]; ok {
			repl["rootId"] = root
		}
		return repl, true
	}
	changed := false
	if attrs, ok := n["attributes"].(map[string]any); ok {
		changed = sanitizeAttrs(tag, attrs)
	}
	return nil, s.children(n) || changed
}

func (s *sanitizer) children(n map[string]any) bool {
	kids, ok := n["childNodes"].([]any)
	if !ok {
		return false
	}
	changed := false
	for i, k := range kids {
		km, ok := k.(map[string]any)
		if !ok {
			continue
		}
		repl, c := s.node(km)
		if repl != nil {
			kids[i] = repl
		}
		changed = changed || c
	}
	return changed
}

// block records a removed subtree's ids so later mutations cannot write
// into it.
func (s *sanitizer) block(n map[string]any) {
	s.blocked[IDOf(n["id"])] = true
	if kids, ok := n["childNodes"].([]any); ok {
		for _, k := range kids {
			if km, ok := k.(map[string]any); ok {
				s.block(km)
			}
		}
	}
}

// urlAttrs are attributes a browser navigates to or loads from.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"data": true, "poster": true, "background": true, "codebase": true, "ping": true,
	"lowsrc": true, "dynsrc": true, "cite": true, "longdesc": true, "manifest": true,
	"rr_src": true, // rrweb-snapshot restores it as an iframe src
}

// frameTags are elements that load a document of their own.
var frameTags = map[string]bool{"iframe": true, "frame": true, "portal": true, "fencedframe": true}

// animationAttrs can set a URL attribute from SVG animation
// (<animate attributeName=href values="javascript:...">).
var animationAttrs = map[string]bool{"to": true, "from": true, "values": true, "by": true}

// blankURL replaces a neutralised URL: it loads nothing and runs nothing.
const blankURL = "about:blank"

// sanitizeAttrs cleans one element's attributes in place.
func sanitizeAttrs(tag string, attrs map[string]any) bool {
	changed := false
	// Removing the key is enough in a mutation too: the snapshot and every
	// earlier mutation were sanitized, so the replayed element never had
	// the attribute.
	remove := func(k string) {
		delete(attrs, k)
		changed = true
	}
	for k, v := range attrs {
		lk := strings.ToLower(strings.TrimSpace(k))
		str, isString := v.(string)
		switch {
		case strings.HasPrefix(lk, "on"), lk == "srcdoc", tag == "base" && lk == "href":
			remove(k)
		case tag == "link" && lk == "rel" && (!isString || !replayableLink(str)):
			remove(k)
		case tag == "use" && (lk == "href" || lk == "xlink:href") && !(isString && strings.HasPrefix(strings.TrimSpace(str), "#")):
			// An SVG <use> of another document fetches it; a replay only
			// needs references within the recorded page.
			remove(k)
		case tag == "meta" && lk == "http-equiv" && !(isString && harmlessHTTPEquiv[strings.ToLower(strings.TrimSpace(str))]):
			remove(k)
			for ck := range attrs {
				if strings.EqualFold(ck, "content") {
					remove(ck)
				}
			}
		case frameTags[tag] && (lk == "src" || lk == "rr_src") && isString && !strings.HasPrefix(squash(str), "about:"):
			// The replay rebuilds a frame's document from the recording;
			// its address would only make the browser connect there (it
			// preconnects to a frame's host before any page policy is
			// checked).
			attrs[k] = blankURL
			changed = true
		case urlAttrs[lk] && isString && dangerousURL(tag, str):
			attrs[k] = blankURL
			changed = true
		case animationAttrs[lk] && isString && strings.Contains(squash(str), "script:"):
			remove(k)
		}
	}
	return changed
}

// harmlessHTTPEquiv are the <meta http-equiv> values a replay keeps.
var harmlessHTTPEquiv = map[string]bool{"content-type": true, "content-language": true, "x-ua-compatible": true}

// linkRels are the rel tokens a replay keeps: stylesheets (rrweb inlines
// their text, and the page policy blocks any outside one) and icons.
var linkRels = map[string]bool{
	"stylesheet": true, "alternate": true, "icon": true, "shortcut": true,
	"apple-touch-icon": true, "apple-touch-icon-precomposed": true, "mask-icon": true,
}

// replayableLink reports whether a <link rel> names only a stylesheet or
// an icon. Anything else — resource hints above all, but also manifest,
// import, prerender and kinds not yet invented — is dropped.
func replayableLink(rel string) bool {
	tokens := strings.Fields(strings.ToLower(rel))
	if len(tokens) == 0 {
		return false
	}
	main := false
	for _, t := range tokens {
		if !linkRels[t] {
			return false
		}
		main = main || (t != "alternate" && t != "shortcut")
	}
	return main
}

// squash lower-cases a URL and drops the whitespace and control characters
// browsers ignore inside a scheme ("java\tscript:").
func squash(u string) string {
	var b strings.Builder
	for _, r := range u {
		if r <= 0x20 || r == 0x7f {
			continue
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func dangerousURL(tag, u string) bool {
	v := squash(u)
	switch {
	case strings.HasPrefix(v, "javascript:"), strings.HasPrefix(v, "vbscript:"),
		strings.HasPrefix(v, "data:text/html"), strings.HasPrefix(v, "data:application/xhtml"),
		strings.HasPrefix(v, "data:text/xml"), strings.HasPrefix(v, "data:application/xml"):
		return true
	case strings.HasPrefix(v, "data:image/svg"):
		// An SVG shown as an image runs nothing; loaded as a document it can.
		return tag != "img" && tag != "image" && tag != "source"
	}
	return false
}
