package rrweb

import (
	"fmt"
	"regexp"
	"strings"
)

// A selector is built from the element upwards and stops as soon as it is
// unique within the element's document (or shadow root):
//
//  1. #id, when the element has an id that does not look generated;
//  2. a chain of tag.class segments (generated-looking and state classes
//     left out), anchored at the nearest ancestor with a usable id;
//  3. a short tag path with :nth-of-type where siblings share a tag.
//
// Only the child combinator is used, so the selector means the same thing
// in a browser's querySelector and in the workspace's matcher.

// maxChainDepth bounds the tag.class chain before falling back to the
// :nth-of-type path; longer chains are neither stable nor readable.
// maxPathDepth bounds the :nth-of-type path itself, so a hostile document
// nested a million levels deep costs no more than a real one.
const (
	maxChainDepth = 4
	maxPathDepth  = 24
)

type segment struct {
	tag     string
	id      string
	classes []string
	nth     int // 1-based :nth-of-type, 0 when not needed
}

func (s segment) String() string {
	var b strings.Builder
	if s.id != "" {
		b.WriteByte('#')
		b.WriteString(cssEscape(s.id))
		return b.String()
	}
	b.WriteString(cssEscape(s.tag))
	for _, c := range s.classes {
		b.WriteByte('.')
		b.WriteString(cssEscape(c))
	}
	if s.nth > 0 {
		fmt.Fprintf(&b, ":nth-of-type(%d)", s.nth)
	}
	return b.String()
}

func (s segment) matches(n *mnode) bool {
	if n.typ != ElementNode {
		return false
	}
	if s.id != "" {
		return n.attrs["id"] == s.id
	}
	if n.tag != s.tag {
		return false
	}
	if len(s.classes) > 0 {
		have := strings.Fields(n.attrs["class"])
		for _, c := range s.classes {
			if !contains(have, c) {
				return false
			}
		}
	}
	if s.nth == 0 {
		return true
	}
	nth, _ := ofType(n)
	return nth == s.nth
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scope is the node that bounds a selector: a document, a shadow host (its
// shadow children only) or the root of a detached subtree.
type scope struct {
	root   *mnode
	shadow bool
}

func scopeOf(n *mnode) scope {
	cur := n
	for {
		if cur.shadow && cur.parent != nil {
			return scope{root: cur.parent, shadow: true}
		}
		if cur.parent == nil {
			return scope{root: cur}
		}
		if cur.parent.typ == DocumentNode {
			return scope{root: cur.parent}
		}
		cur = cur.parent
	}
}

// parentInScope is n's parent element, or nil at the scope's boundary (a
// shadow root, a document, or the top of a detached subtree).
func parentInScope(n *mnode) *mnode {
	if n.shadow || n.parent == nil || n.parent.typ != ElementNode {
		return nil
	}
	return n.parent
}

// maxScopeScan bounds the nodes visited to check a selector's uniqueness.
// Past it (a hostile or enormous document) the selector is the full
// :nth-of-type path, which is unique without checking.
const maxScopeScan = 20_000

// candidates are the elements of a scope that could match a selector for
// n: those with n's tag, and those with n's id. One scan serves every
// uniqueness check of the selector being built.
type candidates struct {
	sc       scope
	byTag    []*mnode
	byID     []*mnode
	overflow bool
}

func findCandidates(n *mnode, sc scope) *candidates {
	c := &candidates{sc: sc}
	id := n.attrs["id"]
	visited := 0
	consider := func(x *mnode) {
		if x.typ != ElementNode {
			return
		}
		if x.tag == n.tag {
			c.byTag = append(c.byTag, x)
		}
		if id != "" && x.attrs["id"] == id {
			c.byID = append(c.byID, x)
		}
	}
	var walk func(x *mnode, top bool)
	walk = func(x *mnode, top bool) {
		for _, ch := range x.children {
			if c.overflow {
				return
			}
			if ch.typ == DocumentNode {
				continue // an iframe's document is another scope
			}
			if sc.shadow && top {
				if !ch.shadow {
					continue // the host's light DOM is outside its shadow root
				}
			} else if ch.shadow {
				continue // a nested shadow root is another scope
			}
			if visited++; visited > maxScopeScan {
				c.overflow = true
				return
			}
			consider(ch)
			walk(ch, false)
		}
	}
	if sc.root.typ == ElementNode && !sc.shadow {
		consider(sc.root)
	}
	walk(sc.root, true)
	return c
}

// count counts candidates matched by the chain, stopping at two: only
// uniqueness matters.
func (c *candidates) count(segs []segment) int {
	last := segs[len(segs)-1]
	pool := c.byTag
	if last.id != "" {
		pool = c.byID
	}
	k := 0
	for _, x := range pool {
		if last.matches(x) && chainMatches(x, segs, c.sc) {
			if k++; k > 1 {
				break
			}
		}
	}
	return k
}

func selectorOf(n *mnode) string {
	sc := scopeOf(n)
	c := findCandidates(n, sc)
	if c.overflow {
		sel, _ := uniqueChain(n, nil, true)
		return sel
	}
	if id := usableID(n); id != "" {
		seg := segment{id: id}
		if c.count([]segment{seg}) == 1 {
			return seg.String()
		}
	}
	if sel, ok := uniqueChain(n, c, false); ok {
		return sel
	}
	sel, _ := uniqueChain(n, c, true)
	return sel
}

// uniqueChain walks up from n adding one segment per level until the chain
// matches exactly one element. With nth set, segments are bare tags with
// :nth-of-type where a sibling shares the tag. Without candidates it
// walks to the scope's top unchecked.
func uniqueChain(n *mnode, c *candidates, nth bool) (string, bool) {
	var segs []segment
	for cur, depth := n, 0; cur != nil; cur, depth = parentInScope(cur), depth+1 {
		if !nth && depth >= maxChainDepth {
			return "", false
		}
		if depth >= maxPathDepth {
			break
		}
		var s segment
		if id := usableID(cur); id != "" && cur != n {
			s = segment{id: id}
		} else if nth {
			s = segment{tag: cur.tag}
			if nth, count := ofType(cur); count > 1 {
				s.nth = nth
			}
		} else {
			s = segment{tag: cur.tag, classes: usableClasses(cur)}
		}
		segs = append([]segment{s}, segs...)
		if c != nil && c.count(segs) == 1 {
			return joinSegments(segs), true
		}
		if c != nil && s.id != "" {
			break // an ambiguous id anchor: going further will not help
		}
	}
	return joinSegments(segs), c == nil
}

func joinSegments(segs []segment) string {
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = s.String()
	}
	return strings.Join(parts, " > ")
}

func chainMatches(n *mnode, segs []segment, _ scope) bool {
	cur := n
	for i := len(segs) - 2; i >= 0; i-- {
		cur = parentInScope(cur)
		if cur == nil || !segs[i].matches(cur) {
			return false
		}
	}
	return true
}

// ofType places n among its parent's element children of the same tag
// (and shadow scope): its 1-based position and how many there are.
func ofType(n *mnode) (nth, count int) {
	if n.parent == nil {
		return 1, 1
	}
	for _, c := range n.parent.children {
		if c.typ == ElementNode && c.tag == n.tag && c.shadow == n.shadow {
			count++
		}
		if c == n {
			nth = count
		}
	}
	if nth == 0 { // n detached from its parent's list: last, as before
		nth = count
	}
	return nth, count
}

// generatedID matches ids that frameworks generate per render or per
// build (React useId ":r1:", Ember "ember123", long digit runs, UUIDs and
// hashes); a selector on them would not match the next session.
var generatedID = regexp.MustCompile(`(?i)^[0-9]|:|\d{4,}|^(ember|react-|mui-|radix-|headlessui-|yui_|gwt-uid|ext-gen|jquery)|[0-9a-f]{8}-[0-9a-f]{4}-|^[0-9a-z]*[0-9][a-z][0-9a-z]*[0-9][0-9a-z]*$`)

func usableID(n *mnode) string {
	id := strings.TrimSpace(n.attrs["id"])
	if id == "" || len(id) > 48 || strings.ContainsAny(id, " \t\n") || generatedID.MatchString(id) {
		return ""
	}
	return id
}

// generatedClass matches CSS-in-JS and CSS-module hashes; stateClass
// matches classes that change as the user interacts.
var (
	generatedClass = regexp.MustCompile(`^(css|sc|jsx|emotion|svelte)-[0-9a-zA-Z_-]+$|__[0-9A-Za-z_-]{5,}$|\d{4,}|^_[0-9a-zA-Z]{5,}$`)
	stateClass     = regexp.MustCompile(`^(is-|has-|rr-|loupe-)|^(active|focus|focused|hover|hovered|selected|open|opened|visible|hidden|disabled|checked|current|show|showing|collapsed|expanded)$`)
)

// maxClasses keeps tag.class segments readable.
const maxClasses = 3

func usableClasses(n *mnode) []string {
	var out []string
	for _, c := range strings.Fields(n.attrs["class"]) {
		if len(c) > 40 || generatedClass.MatchString(c) || stateClass.MatchString(c) || contains(out, c) {
			continue
		}
		out = append(out, c)
		if len(out) == maxClasses {
			break
		}
	}
	return out
}

// cssEscape writes an identifier as CSS requires (CSSOM's CSS.escape rules
// for the characters that occur in real ids and classes).
func cssEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == 0:
			b.WriteString("\uFFFD")
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		case i == 0 && r >= '0' && r <= '9':
			fmt.Fprintf(&b, "\\%x ", r)
		case i == 1 && r >= '0' && r <= '9' && s[0] == '-':
			fmt.Fprintf(&b, "\\%x ", r)
		case r >= 0x80 || r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			b.WriteRune(r)
		default:
			b.WriteByte('\\')
			b.WriteRune(r)
		}
	}
	if s == "-" {
		return "\\-"
	}
	return b.String()
}
