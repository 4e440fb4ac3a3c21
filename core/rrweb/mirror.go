package rrweb

import "strings"

// Mirror rebuilds the recorded DOM from full snapshots and mutations, the
// way rrweb's replayer does, so that the node ids in clicks, inputs and
// scrolls resolve to elements. It keeps only what analytics needs (tags,
// a few attributes, text), not a renderable document.
//
// Real recordings are messy: nodes arrive under parents that were never
// seen, removals name unknown nodes, iframes and shadow roots nest
// documents. The mirror degrades instead of failing and counts each kind of
// degradation in Degraded.
type Mirror struct {
	nodes map[int]*mnode
	top   *mnode // the document of the latest full snapshot
	// Degraded counts what could not be applied as recorded, by kind.
	Degraded map[string]int
	// described caches Element results until the next change.
	described map[int]Element
	// added collects the ids registered by one insert, to wake waiting adds.
	added []int
}

// mnode is one mirrored node.
type mnode struct {
	id       int
	typ      NodeType
	tag      string            // lower case, elements only
	attrs    map[string]string // only the attributes in keptAttrs
	text     string            // text, CDATA and comment nodes
	style    bool              // text inside <style>
	shadow   bool              // a shadow root's child: its parent is the host
	parent   *mnode
	children []*mnode
}

// keptAttrs are the attributes selectors, labels and focus checks use.
var keptAttrs = map[string]bool{
	"id": true, "class": true, "type": true, "role": true, "aria-label": true,
	"title": true, "alt": true, "contenteditable": true,
}

// NewMirror returns an empty mirror.
func NewMirror() *Mirror {
	return &Mirror{nodes: map[int]*mnode{}, Degraded: map[string]int{}, described: map[int]Element{}}
}

// Len is the number of nodes mirrored.
func (m *Mirror) Len() int { return len(m.nodes) }

func (m *Mirror) degrade(kind string) { m.Degraded[kind]++ }

// Apply applies a FullSnapshot or a Mutation event; other events are
// ignored. An unreadable payload is counted in Degraded, never fatal.
func (m *Mirror) Apply(e Event) {
	switch e.Type {
	case FullSnapshot:
		d, err := e.DecodeFullSnapshot()
		if err != nil {
			m.degrade("unreadable full snapshot")
			return
		}
		m.ApplyFullSnapshot(d)
	case IncrementalSnapshot:
		src, ok := SourceOf(e)
		if !ok || src != SourceMutation {
			return
		}
		d, err := e.DecodeIncremental()
		if err != nil {
			m.degrade("unreadable mutation")
			return
		}
		m.ApplyMutation(d)
	}
}

// ApplyFullSnapshot replaces the mirrored DOM with a snapshot's.
func (m *Mirror) ApplyFullSnapshot(d FullSnapshotData) {
	m.nodes = make(map[int]*mnode, len(m.nodes))
	m.described = map[int]Element{}
	m.top = nil
	if d.Node == nil {
		m.degrade("full snapshot without a node")
		return
	}
	m.top = m.build(d.Node, nil)
	if m.top.typ != DocumentNode {
		m.degrade("full snapshot root is not a document")
	}
}

// build converts a serialized subtree and registers its ids.
func (m *Mirror) build(n *Node, parent *mnode) *mnode {
	mn := &mnode{id: n.ID, typ: n.Type, parent: parent, shadow: n.IsShadow, style: n.IsStyle}
	switch n.Type {
	case ElementNode:
		mn.tag = strings.ToLower(n.TagName)
		for k, v := range n.Attributes {
			if keptAttrs[k] {
				if mn.attrs == nil {
					mn.attrs = make(map[string]string, 2)
				}
				mn.attrs[k] = v
			}
		}
	case TextNode, CDATANode, CommentNode:
		mn.text = n.TextContent
	case DocumentNode, DocumentTypeNode:
	default:
		m.degrade("unknown node type")
	}
	if old, ok := m.nodes[n.ID]; ok && old != mn {
		// Same id registered twice (a re-added node): the newest wins.
		m.detach(old)
	}
	m.nodes[n.ID] = mn
	m.added = append(m.added, n.ID)
	if len(n.ChildNodes) > 0 {
		mn.children = make([]*mnode, 0, len(n.ChildNodes))
		for _, c := range n.ChildNodes {
			if c == nil {
				m.degrade("null child node")
				continue
			}
			mn.children = append(mn.children, m.build(c, mn))
		}
	}
	return mn
}

// ApplyMutation applies one mutation in rrweb's replay order: removes,
// adds (waiting for parents and next siblings added later in the same
// batch), texts, attributes.
func (m *Mirror) ApplyMutation(d Incremental) {
	clear(m.described)
	for _, r := range d.Removes {
		n, ok := m.nodes[r.ID]
		if !ok {
			m.degrade("removal of unknown node")
			continue
		}
		m.detach(n)
		m.forget(n)
	}
	m.applyAdds(d.Adds)
	for _, t := range d.Texts {
		n, ok := m.nodes[t.ID]
		if !ok {
			m.degrade("text change of unknown node")
			continue
		}
		if t.Value != nil {
			n.text = *t.Value
		} else {
			n.text = ""
		}
	}
	for _, a := range d.Attributes {
		n, ok := m.nodes[a.ID]
		if !ok {
			m.degrade("attribute change of unknown node")
			continue
		}
		for k, v := range a.Attributes {
			if !keptAttrs[k] {
				continue
			}
			if s, ok := AttrText(v); ok {
				if n.attrs == nil {
					n.attrs = map[string]string{}
				}
				n.attrs[k] = s
			} else {
				delete(n.attrs, k)
			}
		}
	}
}

// applyAdds inserts added nodes. rrweb lists adds so that a node may name a
// parent or next sibling that appears later in the same list; like the
// replayer, those wait until what they need exists. Waiting adds are
// indexed by the id they wait for, so a hostile batch cannot make this
// quadratic.
func (m *Mirror) applyAdds(adds []AddedNode) {
	waiting := map[int][]AddedNode{}
	var try func(a AddedNode)
	try = func(a AddedNode) {
		parent, ok := m.nodes[a.ParentID]
		if !ok {
			waiting[a.ParentID] = append(waiting[a.ParentID], a)
			return
		}
		if hasNext(a) && m.nodes[*a.NextID] == nil {
			waiting[*a.NextID] = append(waiting[*a.NextID], a)
			return
		}
		m.added = m.added[:0]
		m.insert(parent, a)
		woken := append([]int(nil), m.added...)
		for _, id := range woken {
			if ws, ok := waiting[id]; ok {
				delete(waiting, id)
				for _, w := range ws {
					try(w)
				}
			}
		}
	}
	for _, a := range adds {
		if a.Node == nil {
			m.degrade("add without a node")
			continue
		}
		try(a)
	}
	// What still waits names ids that never arrived. Visit in a fixed
	// order so the result does not depend on map iteration.
	stuck := map[*Node]AddedNode{}
	for _, ws := range waiting {
		for _, w := range ws {
			stuck[w.Node] = w
		}
	}
	var rest []AddedNode
	for _, a := range adds {
		if w, ok := stuck[a.Node]; ok && a.Node != nil {
			rest = append(rest, w)
		}
	}
	for _, a := range rest {
		if _, ok := m.nodes[a.Node.ID]; ok && m.nodes[a.Node.ID].parent != nil {
			continue // placed meanwhile under another id's wake-up
		}
		if parent, ok := m.nodes[a.ParentID]; ok {
			// Only the next sibling is missing: append instead.
			m.degrade("add before unknown sibling")
			m.insert(parent, AddedNode{ParentID: a.ParentID, Node: a.Node})
			continue
		}
		// The parent was never seen: keep the subtree detached so its ids
		// still resolve to tags and text.
		m.degrade("add under missing parent")
		m.build(a.Node, nil)
	}
}

func hasNext(a AddedNode) bool { return a.NextID != nil && *a.NextID != -1 }

func (m *Mirror) insert(parent *mnode, a AddedNode) {
	if old, ok := m.nodes[a.Node.ID]; ok {
		m.detach(old)
	}
	n := m.build(a.Node, parent)
	at := len(parent.children)
	if hasNext(a) {
		if next := m.nodes[*a.NextID]; next != nil && next.parent == parent {
			at = indexOf(parent.children, next)
		}
	}
	parent.children = append(parent.children, nil)
	copy(parent.children[at+1:], parent.children[at:])
	parent.children[at] = n
}

func indexOf(list []*mnode, n *mnode) int {
	for i, c := range list {
		if c == n {
			return i
		}
	}
	return len(list)
}

// detach unlinks n from its parent.
func (m *Mirror) detach(n *mnode) {
	p := n.parent
	if p == nil {
		return
	}
	if i := indexOf(p.children, n); i < len(p.children) {
		p.children = append(p.children[:i], p.children[i+1:]...)
	}
	n.parent = nil
}

// forget drops n and its subtree from the id map, as the replayer does.
func (m *Mirror) forget(n *mnode) {
	if m.nodes[n.id] == n {
		delete(m.nodes, n.id)
	}
	for _, c := range n.children {
		m.forget(c)
	}
}

// IsPage reports whether id is the scrolling target of the page itself:
// rrweb records page scrolls on the document node (some recorders on the
// root element or body).
func (m *Mirror) IsPage(id int) bool {
	if m.top == nil {
		return false
	}
	if id == m.top.id {
		return true
	}
	n := m.nodes[id]
	if n == nil || n.typ != ElementNode {
		return false
	}
	if n.tag == "html" && n.parent == m.top {
		return true
	}
	return n.tag == "body" && n.parent != nil && n.parent.tag == "html" && n.parent.parent == m.top
}

// DocumentID is the node id of the page's document, 0 before any snapshot.
func (m *Mirror) DocumentID() int {
	if m.top == nil {
		return 0
	}
	return m.top.id
}
