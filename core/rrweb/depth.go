package rrweb

// MaxReplayDepth is how deep a replayed tree may nest. Chromium's own HTML
// parser never builds a tree deeper than 512 elements (it hangs deeper
// ones on the 512th), and a recorded tree thousands of levels deep — built
// by script, or crafted — crashes the browser's renderer when a player
// rebuilds it. Below this depth a subtree is flattened the same way: its
// nodes become children of the node at the limit, in document order, so
// every id stays resolvable and every text stays visible.
const MaxReplayDepth = 512

// depthLimit follows the depth of every node the player has built, so
// that mutations adding under deep nodes are flattened too.
type depthLimit struct {
	depth  map[int]int // node id → depth (the document is 0)
	parent map[int]int // node id → parent id
}

func newDepthLimit() *depthLimit {
	return &depthLimit{depth: map[int]int{}, parent: map[int]int{}}
}

func (d *depthLimit) reset() {
	clear(d.depth)
	clear(d.parent)
}

// tree records a serialized subtree placed at depth under parent and
// flattens it below MaxReplayDepth. It walks with an explicit stack: the
// trees it guards against are the ones that exhaust call stacks.
func (d *depthLimit) tree(root map[string]any, depth, parent int) bool {
	type item struct {
		n             map[string]any
		depth, parent int
	}
	changed := false
	stack := []item{{root, depth, parent}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		id := IDOf(it.n["id"])
		d.depth[id], d.parent[id] = it.depth, it.parent
		kids, _ := it.n["childNodes"].([]any)
		if len(kids) == 0 {
			continue
		}
		if it.depth >= MaxReplayDepth {
			flat := flatten(kids)
			changed = changed || len(flat) != len(kids)
			it.n["childNodes"] = flat
			for _, k := range flat {
				km := k.(map[string]any)
				d.depth[IDOf(km["id"])], d.parent[IDOf(km["id"])] = it.depth+1, id
			}
			continue
		}
		for _, k := range kids {
			if km, ok := k.(map[string]any); ok {
				stack = append(stack, item{km, it.depth + 1, id})
			}
		}
	}
	return changed
}

// flatten lists nodes and all their descendants in document order, each
// without children.
func flatten(nodes []any) []any {
	var out []any
	stack := make([]any, 0, len(nodes))
	for i := len(nodes) - 1; i >= 0; i-- {
		stack = append(stack, nodes[i])
	}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n, ok := top.(map[string]any)
		if !ok {
			continue
		}
		kids, _ := n["childNodes"].([]any)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
		if _, has := n["childNodes"]; has {
			n["childNodes"] = []any{}
		}
		out = append(out, n)
	}
	return out
}

// adds places a mutation's added nodes. Under a parent at or beyond the
// limit, an added subtree becomes one add per node, in document order,
// under the ancestor at the limit.
func (d *depthLimit) adds(adds []any) ([]any, bool) {
	changed := false
	out := make([]any, 0, len(adds))
	for _, a := range adds {
		add, _ := a.(map[string]any)
		n, _ := add["node"].(map[string]any)
		if n == nil {
			out = append(out, a)
			continue
		}
		pid := IDOf(add["parentId"])
		pd := d.depth[pid] // an unknown parent counts as the document
		if pd < MaxReplayDepth {
			changed = d.tree(n, pd+1, pid) || changed
			out = append(out, add)
			continue
		}
		target := pid
		for i := 0; d.depth[target] > MaxReplayDepth && i < 4*MaxReplayDepth; i++ {
			target = d.parent[target]
		}
		for _, k := range flatten([]any{n}) {
			km := k.(map[string]any)
			one := map[string]any{"parentId": target, "node": km, "nextId": nil}
			if target == pid {
				one["nextId"] = add["nextId"]
			}
			d.depth[IDOf(km["id"])], d.parent[IDOf(km["id"])] = MaxReplayDepth+1, target
			out = append(out, one)
		}
		changed = true
	}
	return out, changed
}
