package ask

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

type kind int

const (
	kindUnknown kind = iota
	kindFiller
	kindNot
	kindAnd
	kindOr
	kindVisit
	kindClick
	kindDo
	kindAttr
	kindPage
	kindEvent
	kindElement
	kindSignal
	kindTag
	kindDate
	kindCue
	kindJoiner
)

type cue int

const (
	cueNone cue = iota
	cueWhy
	cueDrop
	cueHeatmap
	cueFunnel
	cueRank
	cueElements
)

// attr is one attribute condition (device = mobile).
type attr struct {
	field, value, label string
}

// item is a run of words with one meaning.
type item struct {
	kind    kind
	text    string // the words as written
	attrs   []attr
	page    string // a path glob
	event   string
	element Element
	signal  string
	tag     string
	cue     cue
	date    dateSpec
	label   string // how the reading names a page, event or element
	used    bool   // taken by the analysis route
}

// lexicon maps lower-case word runs to meanings for one vocabulary.
type lexicon struct {
	entries  map[string]item
	elements map[string]Element // by normalised text, for "clicked X"
	maxWords int
}

var pathWordRe = regexp.MustCompile(`^[a-z][a-z_-]*$`)

func newLexicon(v Vocabulary) *lexicon {
	l := &lexicon{entries: map[string]item{}, elements: map[string]Element{}}
	pages := pathWords(v.Pages)

	// Order matters only where two sources use the same words: the first
	// one added keeps them. Longer runs always win over shorter ones.
	for _, ev := range v.Events {
		it := item{kind: kindEvent, event: ev, label: ev}
		l.add(strings.ToLower(ev), it)
		l.add(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(strings.ToLower(ev)), it)
	}
	for _, e := range v.Elements {
		if e.Text != "" {
			l.elements[normalise(e.Text)] = e
		}
	}
	for w, c := range conceptWords {
		l.add(w, resolveConcept(c, v.Events, pages, l.elements))
	}
	for w, d := range deviceWords {
		l.add(w, attrItem("device", spelled(d, v.Devices), "on "+d))
	}
	for _, d := range v.Devices {
		l.add(strings.ToLower(d), attrItem("device", d, "on "+d))
	}
	for w, b := range browserWords {
		b = spelled(b, v.Browsers)
		l.add(w, attrItem("browser", b, "using "+b))
	}
	for _, b := range v.Browsers {
		l.add(strings.ToLower(b), attrItem("browser", b, "using "+b))
	}
	for w, o := range osWords {
		o = spelled(o, v.OS)
		it := attrItem("os", o, "on "+o)
		if w == "iphone" || w == "iphones" {
			it.attrs = append([]attr{{"device", spelled("mobile", v.Devices), "on mobile"}}, it.attrs...)
		}
		l.add(w, it)
	}
	for _, o := range v.OS {
		l.add(strings.ToLower(o), attrItem("os", o, "on "+o))
	}
	for w, c := range countryNames {
		l.add(w, countryItem(c))
	}
	for w := range datePhrases {
		l.add(w, item{kind: kindDate, date: dateSpec{phrase: datePhrases[w]}})
	}
	if containsString(v.Pages, "/") {
		for w := range homeWords {
			l.add(w, item{kind: kindPage, page: "/", label: "/ (home)"})
		}
		for _, w := range homePhrases {
			l.add(w, item{kind: kindPage, page: "/", label: "/ (home)"})
		}
	}
	for _, w := range sortedKeys(pages) {
		l.add(w, item{kind: kindPage, page: pages[w], label: pages[w]})
	}
	for w, cands := range pageSynonyms {
		for _, c := range cands {
			if g, ok := pages[c]; ok {
				l.add(w, item{kind: kindPage, page: g, label: g + " (" + w + ")"})
				break
			}
		}
	}
	for w, s := range signalWords {
		l.add(w, item{kind: kindSignal, signal: s})
	}
	for _, t := range v.Tags {
		it := item{kind: kindTag, tag: t}
		l.add(strings.ToLower(t), it)
		spaced := strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(t))
		l.add(spaced, it)
		l.add(spaced+"s", it)
	}
	for w, c := range cueWords {
		l.add(w, item{kind: kindCue, cue: c})
	}
	for w := range stepJoiners {
		l.add(w, item{kind: kindJoiner})
	}
	for _, set := range []struct {
		words map[string]bool
		kind  kind
	}{{negations, kindNot}, {ands, kindAnd}, {ors, kindOr}, {verbVisit, kindVisit},
		{verbClick, kindClick}, {verbDo, kindDo}, {fillers, kindFiller}} {
		for w := range set.words {
			l.add(w, item{kind: set.kind})
		}
	}
	for _, e := range v.Elements {
		it := item{kind: kindElement, element: e, label: elementLabel(e)}
		if e.Text != "" {
			l.add(normalise(e.Text), it)
		}
		l.add(strings.ToLower(e.Selector), it)
	}
	return l
}

func (l *lexicon) add(key string, it item) {
	key = strings.TrimSpace(key)
	if key == "" {
		return
	}
	if _, ok := l.entries[key]; ok {
		return
	}
	l.entries[key] = it
	if n := len(strings.Fields(key)); n > l.maxWords {
		l.maxWords = n
	}
}

// match reads tokens into items, longest run first at each position.
func (l *lexicon) match(toks []token) []item {
	var out []item
	lastVerb := kindUnknown
	for i := 0; i < len(toks); {
		if it, n, ok := l.matchAt(toks, i, lastVerb); ok {
			it.text = joinWords(toks[i : i+n])
			out = append(out, it)
			switch it.kind {
			case kindVisit, kindClick, kindDo:
				lastVerb = it.kind
			case kindFiller, kindNot:
			default:
				lastVerb = kindUnknown
			}
			i += n
			continue
		}
		out = append(out, item{kind: kindUnknown, text: toks[i].orig})
		i++
	}
	return out
}

func (l *lexicon) matchAt(toks []token, i int, lastVerb kind) (item, int, bool) {
	t := toks[i]
	if t.quoted {
		return l.matchQuoted(t)
	}
	if it, n, ok := matchRelativeDate(toks, i); ok {
		return it, n, true
	}
	if len(t.orig) == 2 && strings.ToUpper(t.orig) == t.orig && countryLabel[t.orig] != "" {
		return countryItem(t.orig), 1, true
	}
	if strings.HasPrefix(t.norm, "/") {
		return item{kind: kindPage, page: t.orig, label: t.orig}, 1, true
	}
	maxN := l.maxWords
	if maxN > len(toks)-i {
		maxN = len(toks) - i
	}
	if lastVerb == kindClick {
		for n := maxN; n >= 1; n-- {
			if e, ok := l.elements[normTokens(toks[i:i+n])]; ok {
				return item{kind: kindElement, element: e, label: elementLabel(e)}, n, true
			}
		}
	}
	for n := maxN; n >= 1; n-- {
		if it, ok := l.entries[normTokens(toks[i:i+n])]; ok {
			return it, n, true
		}
	}
	if strings.HasSuffix(t.norm, "s") && len(t.norm) > 3 {
		if it, ok := l.entries[strings.TrimSuffix(t.norm, "s")]; ok {
			return it, 1, true
		}
	}
	return item{}, 0, false
}

func (l *lexicon) matchQuoted(t token) (item, int, bool) {
	if strings.HasPrefix(t.orig, "/") {
		return item{kind: kindPage, page: t.orig, label: t.orig}, 1, true
	}
	if e, ok := l.elements[normalise(t.orig)]; ok {
		return item{kind: kindElement, element: e, label: elementLabel(e)}, 1, true
	}
	if it, ok := l.entries[t.norm]; ok && (it.kind == kindEvent || it.kind == kindElement || it.kind == kindTag) {
		return it, 1, true
	}
	return item{}, 0, false
}

var unitWords = map[string]string{
	"day": "day", "days": "day", "week": "week", "weeks": "week",
	"month": "month", "months": "month", "hour": "hour", "hours": "hour",
}

// matchRelativeDate reads "last 7 days", "past two weeks".
func matchRelativeDate(toks []token, i int) (item, int, bool) {
	if i+2 >= len(toks) {
		return item{}, 0, false
	}
	w := toks[i].norm
	if w != "last" && w != "past" && w != "previous" {
		return item{}, 0, false
	}
	n, err := strconv.Atoi(toks[i+1].norm)
	if err != nil {
		n = numberWords[toks[i+1].norm]
	}
	unit, ok := unitWords[toks[i+2].norm]
	if n <= 0 || n > 3650 || !ok {
		return item{}, 0, false
	}
	return item{kind: kindDate, date: dateSpec{n: n, unit: unit}}, 3, true
}

// pathWords maps each word that names a path to the glob that covers
// every page under it ("checkout" → "/checkout*").
func pathWords(pages []string) map[string]string {
	out := map[string]string{}
	set := func(w, glob string) {
		if old, ok := out[w]; !ok || len(glob) < len(old) {
			out[w] = glob
		}
	}
	exact := map[string]bool{}
	for _, p := range pages {
		exact[p] = true
	}
	for _, p := range pages {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		for i, s := range segs {
			s = strings.ToLower(s)
			if !pathWordRe.MatchString(s) {
				continue
			}
			// "/checkout*" covers /checkout and /checkout/payment; a
			// prefix that is no page itself ("/p" of /p/123) gets "/p/*"
			// so it does not also catch /pricing.
			prefix := "/" + strings.Join(segs[:i+1], "/")
			glob := prefix + "*"
			if !exact[prefix] {
				glob = prefix + "/*"
			}
			set(s, glob)
			spaced := strings.NewReplacer("-", " ", "_", " ").Replace(s)
			set(spaced, glob)
			if strings.HasSuffix(spaced, "s") {
				set(strings.TrimSuffix(spaced, "s"), glob)
			} else {
				set(spaced+"s", glob)
			}
		}
	}
	return out
}

func resolveConcept(c *concept, events []string, pages map[string]string, elements map[string]Element) item {
	for _, want := range c.events {
		for _, ev := range events {
			if strings.Contains(strings.ToLower(ev), want) {
				return item{kind: kindEvent, event: ev, label: c.name + " (event " + ev + ")"}
			}
		}
	}
	for _, want := range c.pages {
		if g, ok := pages[want]; ok {
			return item{kind: kindPage, page: g, label: g + " (" + c.name + ")"}
		}
	}
	for _, want := range c.elements {
		if e, ok := elements[want]; ok {
			return item{kind: kindElement, element: e, label: c.name + " (clicked " + elementLabel(e) + ")"}
		}
	}
	// The workspace records this outcome neither as an event nor as a
	// page: say so rather than guess.
	return item{kind: kindUnknown}
}

func attrItem(field, value, label string) item {
	return item{kind: kindAttr, attrs: []attr{{field, value, label}}}
}

func countryItem(code string) item {
	label := code
	if n := countryLabel[code]; n != "" {
		label = n + " (" + code + ")"
	}
	return attrItem("country", code, "from "+label)
}

// spelled returns the workspace's spelling of a value, or the value.
func spelled(v string, have []string) string {
	for _, h := range have {
		if strings.EqualFold(h, v) {
			return h
		}
	}
	return v
}

func elementLabel(e Element) string {
	if e.Text != "" {
		return strconv.Quote(e.Text) + " (" + e.Selector + ")"
	}
	return e.Selector
}

func normalise(s string) string { return normTokens(tokenize(s)) }

func normTokens(ts []token) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.norm
	}
	return strings.Join(parts, " ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
