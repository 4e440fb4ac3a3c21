package insight

import (
	"sort"
	"strings"

	"github.com/loupe-dev/loupe/core"
)

// pathGroups folds paths that differ only in a last part with many
// siblings (/products/blue-mug, /products/red-kettle …) into one glob
// (/products/*), so per-page findings rest on enough sessions.
type pathGroups map[string]string

// siblingsForGroup is how many children a prefix needs to be grouped.
const siblingsForGroup = 3

func newPathGroups(sessions []*core.Facts) pathGroups {
	children := map[string]map[string]bool{}
	paths := map[string]bool{}
	for _, f := range sessions {
		for _, pv := range f.Pageviews {
			paths[pv.Path] = true
		}
	}
	for p := range paths {
		if i := strings.LastIndexByte(p, '/'); i > 0 && i < len(p)-1 {
			parent := p[:i]
			if children[parent] == nil {
				children[parent] = map[string]bool{}
			}
			children[parent][p] = true
		}
	}
	g := pathGroups{}
	for p := range paths {
		g[p] = p
		if i := strings.LastIndexByte(p, '/'); i > 0 && i < len(p)-1 && len(children[p[:i]]) >= siblingsForGroup {
			g[p] = p[:i] + "/*"
		}
	}
	return g
}

func (g pathGroups) of(path string) string {
	if v, ok := g[path]; ok {
		return v
	}
	return path
}

// sortedKeys returns a map's keys in order, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
