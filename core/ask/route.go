package ask

import "strings"

// sessionNouns mark a sentence that asks for sessions, not a ranking:
// "sessions with the most rage clicks" lists sessions.
var sessionNouns = words(`sessions session recordings recording replays replay`)

// route decides whether a sentence is a question for an analysis, and
// marks the items the analysis takes so they do not also become segment
// conditions.
func route(items []item) *Analysis {
	has := map[cue]bool{}
	asksSessions := false
	for _, it := range items {
		if it.kind == kindCue {
			has[it.cue] = true
		}
		if it.kind == kindFiller && sessionNouns[strings.ToLower(it.text)] {
			asksSessions = true
		}
	}
	switch {
	case has[cueHeatmap]:
		a := &Analysis{Kind: AnalysisHeatmap}
		if i := firstOf(items, 0, kindPage); i >= 0 {
			a.Page = items[i].page
			items[i].used = true
		}
		return a
	case has[cueDrop]:
		a := &Analysis{Kind: AnalysisDropOff}
		at := indexOfCue(items, cueDrop)
		i := firstOf(items, at, kindPage, kindEvent, kindElement)
		if i < 0 {
			i = lastOf(items, at, kindPage, kindEvent, kindElement)
		}
		if i >= 0 {
			a.Step = stepOf(items[i])
			items[i].used = true
		}
		return a
	case has[cueFunnel] && !asksSessions:
		a := &Analysis{Kind: AnalysisFunnel}
		for i := range items {
			if s := stepOf(items[i]); s != "" {
				a.Steps = append(a.Steps, s)
				items[i].used = true
			}
		}
		return a
	}
	if asksSessions || !ranks(items) {
		return nil
	}
	sig := firstOf(items, 0, kindSignal)
	if sig < 0 && !has[cueElements] {
		return nil
	}
	a := &Analysis{Kind: AnalysisFrustration}
	if sig >= 0 {
		if s := items[sig].signal; s == "js_error" || s == "failed_request" {
			a.Kind = AnalysisErrors
		}
		items[sig].used = true
	}
	if i := firstOf(items, 0, kindPage); i >= 0 {
		a.Page = items[i].page
		items[i].used = true
	}
	return a
}

// ranks tells whether the sentence asks for a ranking: "where", "top",
// "most" …, or "which"/"what" right before a signal or element word.
func ranks(items []item) bool {
	for i, it := range items {
		if it.kind != kindCue || it.cue != cueRank && it.cue != cueWhy {
			continue
		}
		switch strings.ToLower(it.text) {
		case "which", "what":
			if i+1 < len(items) && (items[i+1].kind == kindSignal || items[i+1].kind == kindCue && items[i+1].cue == cueElements) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func stepOf(it item) string {
	switch it.kind {
	case kindPage:
		return "page:" + it.page
	case kindEvent:
		return "event:" + it.event
	case kindElement:
		return "click:" + it.element.Selector
	}
	return ""
}

func indexOfCue(items []item, c cue) int {
	for i, it := range items {
		if it.kind == kindCue && it.cue == c {
			return i
		}
	}
	return 0
}

func firstOf(items []item, from int, kinds ...kind) int {
	for i := from; i < len(items); i++ {
		for _, k := range kinds {
			if items[i].kind == k && !items[i].used {
				return i
			}
		}
	}
	return -1
}

func lastOf(items []item, before int, kinds ...kind) int {
	for i := before - 1; i >= 0; i-- {
		for _, k := range kinds {
			if items[i].kind == k && !items[i].used {
				return i
			}
		}
	}
	return -1
}
