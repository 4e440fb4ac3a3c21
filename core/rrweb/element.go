package rrweb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextRunes caps the text kept for an element: enough to recognise a
// button or a link, short enough for a table cell.
const MaxTextRunes = 80

// Element describes a mirrored element for analytics.
type Element struct {
	ID       int
	Tag      string // lower case
	Selector string // a stable CSS selector within the element's document
	// Text is the element's trimmed, whitespace-collapsed text (or its
	// aria-label, title or alt), capped at MaxTextRunes. Text masked at
	// capture stays masked: the mirror only has what was recorded.
	Text string
	// TextEntry is true for fields that take typing: text-like inputs,
	// textarea, select and contenteditable elements.
	TextEntry bool
	// Navigates is true when a click on the element may load another page:
	// it is or sits inside a link, or submits a form.
	Navigates bool
}

// Element resolves a node id to its element. A text node resolves to its
// parent element, a document to its root element (a click outside the
// body targets the document). ok is false for ids the mirror does not know.
func (m *Mirror) Element(id int) (Element, bool) {
	if e, ok := m.described[id]; ok {
		return e, true
	}
	n := m.nodes[id]
	if n != nil && n.typ == DocumentNode {
		n = rootElement(n)
	}
	for n != nil && n.typ != ElementNode {
		if n.typ == DocumentNode {
			return Element{}, false
		}
		n = n.parent
	}
	if n == nil {
		return Element{}, false
	}
	e := Element{ID: id, Tag: n.tag, Selector: selectorOf(n), Text: textOf(n), TextEntry: isTextEntry(n), Navigates: navigates(n)}
	m.described[id] = e
	return e, true
}

// textEntryInputs are the input types that take typing (a click that
// focuses one is not a dead click).
var textEntryInputs = map[string]bool{
	"": true, "text": true, "email": true, "password": true, "search": true, "tel": true,
	"url": true, "number": true, "date": true, "datetime-local": true, "month": true,
	"time": true, "week": true,
}

func isTextEntry(n *mnode) bool {
	switch n.tag {
	case "textarea", "select":
		return true
	case "input":
		return textEntryInputs[strings.ToLower(strings.TrimSpace(n.attrs["type"]))]
	}
	ce, ok := n.attrs["contenteditable"]
	return ok && (ce == "" || strings.EqualFold(ce, "true") || strings.EqualFold(ce, "plaintext-only"))
}

// skipText are elements whose text is code or metadata, not a label.
var skipText = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "head": true}

// maxTextVisit bounds the nodes textOf visits: text sits near the top of
// what people click, and a huge container without text must not cost a
// walk of the whole document on every click.
const maxTextVisit = 2000

// textOf collects visible text, stopping once the cap is reached so a click
// on <body> does not walk the whole document.
func textOf(n *mnode) string {
	var b strings.Builder
	runes, visited := 0, 0
	space := false
	var walk func(*mnode) bool
	walk = func(x *mnode) bool {
		if visited++; visited > maxTextVisit {
			return false
		}
		switch x.typ {
		case TextNode:
			if x.style {
				return true
			}
			for _, r := range x.text {
				if unicode.IsSpace(r) {
					space = b.Len() > 0
					continue
				}
				if space {
					b.WriteByte(' ')
					runes++
					space = false
				}
				b.WriteRune(r)
				if runes++; runes > MaxTextRunes {
					return false
				}
			}
		case ElementNode:
			if skipText[x.tag] {
				return true
			}
			for _, c := range x.children {
				if !walk(c) {
					return false
				}
			}
		}
		return true
	}
	walk(n)
	s := b.String()
	if s == "" {
		for _, k := range []string{"aria-label", "title", "alt"} {
			if v := strings.Join(strings.Fields(n.attrs[k]), " "); v != "" {
				s = v
				break
			}
		}
	}
	if utf8.RuneCountInString(s) > MaxTextRunes {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:MaxTextRunes-1])) + "…"
	}
	return s
}

// rootElement is a document's element child (<html>).
func rootElement(doc *mnode) *mnode {
	for _, c := range doc.children {
		if c.typ == ElementNode {
			return c
		}
	}
	return nil
}

func navigates(n *mnode) bool {
	submit := false
	switch n.tag {
	case "button":
		t := strings.ToLower(strings.TrimSpace(n.attrs["type"]))
		submit = t == "" || t == "submit"
	case "input":
		t := strings.ToLower(strings.TrimSpace(n.attrs["type"]))
		submit = t == "submit" || t == "image"
	}
	for cur := n; cur != nil && cur.typ == ElementNode; cur = cur.parent {
		switch cur.tag {
		case "a", "area":
			return true
		case "form":
			if submit {
				return true
			}
		}
	}
	return false
}

// Title is the text of the page's <title>, "" when there is none.
func (m *Mirror) Title() string {
	if m.top == nil {
		return ""
	}
	html := rootElement(m.top)
	if html == nil {
		return ""
	}
	for _, head := range html.children {
		if head.tag != "head" {
			continue
		}
		for _, t := range head.children {
			if t.tag == "title" {
				return textOf(t)
			}
		}
	}
	return ""
}
