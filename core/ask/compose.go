package ask

// condKind is what a segment condition tests.
type condKind int

const (
	condAttr condKind = iota
	condVisited
	condEvent
	condClicked
	condSignal
	condTag
)

// cond is one segment condition.
type cond struct {
	kind  condKind
	not   bool
	field string // for condAttr
	value string // attribute value, page glob, event name, selector, signal or tag
	label string // how the reading names the value
}

// group is conditions joined by "or"; groups are joined by "and".
type group []cond

// composer turns items into conditions. A negation applies to the next
// condition only ("did not pay and visited /cart" negates the payment).
type composer struct {
	groups []group
	not    bool
	or     bool
}

func (c *composer) compose(items []item) []group {
	for _, it := range items {
		if it.used {
			continue
		}
		switch it.kind {
		case kindNot:
			c.not = true
		case kindOr:
			c.or = len(c.groups) > 0
		case kindAnd, kindJoiner:
			c.or = false
		case kindAttr:
			for _, a := range it.attrs {
				c.push(cond{kind: condAttr, field: a.field, value: a.value, label: a.label}, false)
			}
			c.not = false
		case kindPage:
			c.push(cond{kind: condVisited, value: it.page, label: it.label}, true)
		case kindEvent:
			c.push(cond{kind: condEvent, value: it.event, label: it.label}, true)
		case kindElement:
			c.push(cond{kind: condClicked, value: it.element.Selector, label: it.label}, true)
		case kindSignal:
			c.push(cond{kind: condSignal, value: it.signal, label: signalReading[it.signal]}, true)
		case kindTag:
			c.push(cond{kind: condTag, value: it.tag, label: it.tag}, true)
		}
	}
	return c.groups
}

// push adds a condition, to the last group after "or", else as a new
// group. reset clears a pending negation (attributes clear it after all
// the attributes of one word, so "not on an iPhone" negates both).
func (c *composer) push(k cond, reset bool) {
	k.not = c.not
	if reset {
		c.not = false
	}
	for _, g := range c.groups {
		for _, have := range g {
			if have == k {
				c.or = false
				return // said twice ("mobile phone users on mobile")
			}
		}
	}
	if c.or && len(c.groups) > 0 {
		last := len(c.groups) - 1
		c.groups[last] = append(c.groups[last], k)
		c.or = false
		return
	}
	c.groups = append(c.groups, group{k})
}
