package asset

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// Extractor collects the resource URLs of one recording, event by event.
// It keeps the page address (from Meta events, for relative URLs) and the
// tag of every node it has seen, because an attribute change names only a
// node id. Nodes rrweb blocked are recorded as empty placeholders, so
// nothing under them is ever found.
type Extractor struct {
	page  string
	nodes map[int]nodeInfo
	seen  map[string]bool
	refs  []Ref
}

// nodeInfo is what an attribute or text change needs to know of its node.
type nodeInfo struct {
	tag       string // lower-case element tag; "" for other nodes
	parent    int
	rel, typ  string // link rel, input type
	styleText bool   // a text node inside <style>
}

// NewExtractor returns an empty Extractor.
func NewExtractor() *Extractor {
	return &Extractor{nodes: map[int]nodeInfo{}, seen: map[string]bool{}}
}

// Extract returns the distinct resource URLs of a whole recording, in
// order of first use.
func Extract(events []rrweb.Event) []Ref {
	x := NewExtractor()
	for _, e := range events {
		x.Add(e)
	}
	return x.Refs()
}

// SetPage sets the page address relative URLs resolve against, for a
// caller that starts reading mid-recording.
func (x *Extractor) SetPage(href string) { x.page = href }

// Page is the address of the page the last Meta event announced.
func (x *Extractor) Page() string { return x.page }

// Refs is every distinct URL found so far, in order of first use.
func (x *Extractor) Refs() []Ref { return append([]Ref(nil), x.refs...) }

// AddRaw is Add for an event still in JSON; events that do not decode are
// skipped (they carry nothing a replay could load either).
func (x *Extractor) AddRaw(raw json.RawMessage) []Ref {
	var e rrweb.Event
	if json.Unmarshal(raw, &e) != nil {
		return nil
	}
	return x.Add(e)
}

// Add reads one event and returns the URLs in it not seen before.
func (x *Extractor) Add(e rrweb.Event) []Ref {
	before := len(x.refs)
	switch e.Type {
	case rrweb.Meta:
		if m, err := e.DecodeMeta(); err == nil && m.Href != "" {
			x.page = m.Href
		}
	case rrweb.FullSnapshot:
		if d, err := e.DecodeFullSnapshot(); err == nil {
			x.nodes = map[int]nodeInfo{}
			x.register(d.Node, 0)
			x.walk(d.Node)
		}
	case rrweb.IncrementalSnapshot:
		if d, err := e.DecodeIncremental(); err == nil {
			x.incremental(d, e.Data)
		}
	}
	return x.refs[before:len(x.refs):len(x.refs)]
}

func (x *Extractor) incremental(d rrweb.Incremental, data json.RawMessage) {
	switch d.Source {
	case rrweb.SourceMutation:
		// Register every added node first: rrweb may list a child before
		// its parent, and a <source> needs to know it is in a <picture>.
		for _, a := range d.Adds {
			x.register(a.Node, a.ParentID)
		}
		for _, a := range d.Adds {
			x.walk(a.Node)
		}
		for _, t := range d.Texts {
			if t.Value != nil && x.nodes[t.ID].styleText {
				x.css(*t.Value, x.page)
			}
		}
		for _, ch := range d.Attributes {
			x.attributeChange(ch)
		}
	case rrweb.SourceStyleSheetRule:
		var rules struct {
			Adds []struct {
				Rule string `json:"rule"`
			} `json:"adds"`
		}
		if json.Unmarshal(data, &rules) == nil {
			for _, r := range rules.Adds {
				x.css(r.Rule, x.page)
			}
		}
	case rrweb.SourceStyleDeclaration:
		var decl struct {
			Set *struct {
				Value string `json:"value"`
			} `json:"set"`
		}
		if json.Unmarshal(data, &decl) == nil && decl.Set != nil {
			x.css(decl.Set.Value, x.page)
		}
	case rrweb.SourceAdoptedStyleSheet:
		var sheets struct {
			Styles []struct {
				Rules []struct {
					Rule string `json:"rule"`
				} `json:"rules"`
			} `json:"styles"`
		}
		if json.Unmarshal(data, &sheets) == nil {
			for _, s := range sheets.Styles {
				for _, r := range s.Rules {
					x.css(r.Rule, x.page)
				}
			}
		}
	}
}

// register records n and its subtree under parent, without extracting.
func (x *Extractor) register(n *rrweb.Node, parent int) {
	if n == nil {
		return
	}
	info := nodeInfo{parent: parent}
	switch n.Type {
	case rrweb.ElementNode:
		info.tag = strings.ToLower(n.TagName)
		info.rel = strings.ToLower(n.Attributes["rel"])
		info.typ = strings.ToLower(n.Attributes["type"])
	case rrweb.TextNode:
		info.styleText = n.IsStyle || x.nodes[parent].tag == "style"
	}
	x.nodes[n.ID] = info
	for _, c := range n.ChildNodes {
		x.register(c, n.ID)
	}
}

// walk extracts the URLs of n and its subtree.
func (x *Extractor) walk(n *rrweb.Node) {
	if n == nil {
		return
	}
	switch n.Type {
	case rrweb.ElementNode:
		info := x.nodes[n.ID]
		parentTag := x.nodes[info.parent].tag
		// In name order, so URLs come out in the same order every time.
		for _, name := range slices.Sorted(maps.Keys(n.Attributes)) {
			x.attribute(info, parentTag, strings.ToLower(name), n.Attributes[name])
		}
	case rrweb.TextNode:
		if x.nodes[n.ID].styleText {
			x.css(n.TextContent, x.page)
		}
	}
	for _, c := range n.ChildNodes {
		x.walk(c)
	}
}

// attributeChange applies one mutation's attribute changes to a known node.
func (x *Extractor) attributeChange(ch rrweb.AttributeChange) {
	info, ok := x.nodes[ch.ID]
	if !ok {
		return
	}
	for name, raw := range ch.Attributes {
		name = strings.ToLower(name)
		if name == "style" && len(raw) > 0 && raw[0] == '{' {
			// rrweb sends style changes as {property: value | [value,
			// priority] | false}.
			var props map[string]json.RawMessage
			if json.Unmarshal(raw, &props) == nil {
				for _, p := range props {
					var v string
					if json.Unmarshal(p, &v) != nil {
						var pair []string
						if json.Unmarshal(p, &pair) != nil || len(pair) == 0 {
							continue
						}
						v = pair[0]
					}
					x.css(v, x.page)
				}
			}
			continue
		}
		v, ok := rrweb.AttrText(raw)
		if !ok {
			continue
		}
		switch name {
		case "rel":
			info.rel = strings.ToLower(v)
		case "type":
			info.typ = strings.ToLower(v)
		}
		x.nodes[ch.ID] = info
		x.attribute(info, x.nodes[info.parent].tag, name, v)
	}
}

// attribute extracts the URLs one attribute of an element loads. name is
// lower case.
func (x *Extractor) attribute(n nodeInfo, parentTag, name, v string) {
	switch {
	case name == "style":
		x.css(v, x.page)
	case name == "_csstext" && (n.tag == "style" || n.tag == "link"):
		x.css(v, x.page)
	case n.tag == "img" && name == "src",
		n.tag == "video" && name == "poster",
		n.tag == "input" && n.typ == "image" && name == "src",
		n.tag == "image" && (name == "href" || name == "xlink:href"):
		x.add(v, KindImage)
	case name == "srcset" && (n.tag == "img" || n.tag == "source" && parentTag == "picture"):
		for _, c := range ParseSrcset(v) {
			x.add(c.URL, KindImage)
		}
	case n.tag == "link" && name == "href":
		rels := strings.Fields(n.rel)
		switch {
		case contains(rels, "stylesheet"):
			x.add(v, KindStylesheet)
		case contains(rels, "icon"), contains(rels, "apple-touch-icon"):
			x.add(v, KindImage)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (x *Extractor) css(text, base string) {
	if !strings.Contains(text, "(") && !strings.Contains(text, "@") {
		return // the common case: no url() and no @import
	}
	for _, u := range ScanCSS(text, base) {
		x.addResolved(u.URL, u.Kind)
	}
}

func (x *Extractor) add(raw string, kind Kind) {
	u, _ := Resolve(x.page, raw)
	x.addResolved(u, kind)
}

func (x *Extractor) addResolved(u string, kind Kind) {
	if u == "" || x.seen[u] {
		return
	}
	x.seen[u] = true
	x.refs = append(x.refs, Ref{URL: u, Kind: kind})
}
