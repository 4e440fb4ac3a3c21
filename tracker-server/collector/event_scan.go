package collector

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// The functions here read an event that encoding/json has already
// validated (it is a RawMessage of a decoded batch) in one plain pass each,
// instead of the three reflective passes ingest used to take per event
// (an envelope decode, a compact, an HTML escape). Where the fast reading
// could differ from encoding/json's, it says so and the caller falls back
// to encoding/json, so the result never changes, only its cost.

// canonicalEvent returns ev as encoding/json writes a RawMessage into the
// session log: insignificant whitespace removed, and <, >, & and U+2028,
// U+2029 inside strings escaped (json.Compact then json.HTMLEscape), so
// that a batch's digest taken at ingest equals the one taken from the log
// after a restart. ev must be valid JSON. The common case, already
// canonical, returns ev itself without copying.
func canonicalEvent(ev json.RawMessage) json.RawMessage {
	var out []byte // nil while ev[:i] is canonical
	start := 0     // ev[start:i] is not yet copied to out
	inString := false
	for i := 0; i < len(ev); i++ {
		c := ev[i]
		var repl string
		width := 1
		switch {
		case inString:
			switch c {
			case '\\':
				i++ // the escaped byte is never one to change
				continue
			case '"':
				inString = false
				continue
			case '<':
				repl = `\u003c`
			case '>':
				repl = `\u003e`
			case '&':
				repl = `\u0026`
			case 0xE2:
				// U+2028 and U+2029 end lines in JavaScript source.
				if i+2 >= len(ev) || ev[i+1] != 0x80 || ev[i+2]&^1 != 0xA8 {
					continue
				}
				repl, width = `\u2028`, 3
				if ev[i+2] == 0xA9 {
					repl = `\u2029`
				}
			default:
				continue
			}
		case c == '"':
			inString = true
			continue
		case c == ' ', c == '\t', c == '\n', c == '\r':
			// dropped: repl stays empty
		default:
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(ev)+len(ev)/8)
		}
		out = append(out, ev[start:i]...)
		out = append(out, repl...)
		i += width - 1
		start = i + 1
	}
	if out == nil {
		return ev
	}
	return append(out, ev[start:]...)
}

// envelope is what ingest reads of an event: the fields checkEvent
// requires, and the data payload the asset prefetch looks at.
type envelope struct {
	typ       int64
	timestamp float64
	data      []byte // nil when absent
}

// readEnvelope reads type, timestamp and data of a canonical event (see
// canonicalEvent) by walking its top-level members, without decoding the
// values it does not need. sure is false whenever the reading might differ
// from encoding/json's: a key that differs from "type", "timestamp" or
// "data" only in case (encoding/json matches keys case-insensitively), a
// key with escapes or non-ASCII bytes (it folds Unicode too), a missing
// field, a repeated one, or a value that is not a plain number. The
// caller then asks encoding/json.
func readEnvelope(ev []byte) (env envelope, sure bool) {
	var typ, ts []byte
	sure = eachMember(ev, func(key, val []byte) bool {
		// A repeated key is left to encoding/json: it keeps the last
		// value but reports a type error in any of them.
		switch string(key) {
		case "type":
			typ, val = val, typ
		case "timestamp":
			ts, val = val, ts
		case "data":
			env.data, val = val, env.data
		default:
			return plainKey(key) && !bytes.EqualFold(key, []byte("type")) &&
				!bytes.EqualFold(key, []byte("timestamp")) && !bytes.EqualFold(key, []byte("data"))
		}
		return val == nil
	})
	if !sure || typ == nil || ts == nil {
		return envelope{}, false
	}
	if env.typ, sure = plainInt(typ); !sure {
		return envelope{}, false
	}
	if ts[0] != '-' && (ts[0] < '0' || ts[0] > '9') {
		return envelope{}, false // null, a string, a bool: encoding/json words the error
	}
	f, err := strconv.ParseFloat(string(ts), 64)
	if err != nil {
		return envelope{}, false
	}
	env.timestamp = f
	return env, true
}

// assetRelevant reports whether the asset extractor (core/asset's
// Extractor.Add) can learn anything from an event: a Meta event (the page
// address), a full snapshot, or an incremental snapshot of a source that
// adds nodes, attributes or style rules. Mouse moves, scrolls, input and
// the like, most of a recording, are skipped without a decode. When the
// source cannot be read cheaply the event is kept: keeping one too many
// costs a decode, skipping one could miss an asset.
func assetRelevant(env envelope) bool {
	switch rrweb.EventType(env.typ) {
	case rrweb.Meta, rrweb.FullSnapshot:
		return true
	case rrweb.IncrementalSnapshot:
		src, ok := rrweb.SourceOf(rrweb.Event{Type: rrweb.IncrementalSnapshot, Data: env.data})
		if !ok {
			return true
		}
		switch src {
		case rrweb.SourceMutation, rrweb.SourceStyleSheetRule, rrweb.SourceStyleDeclaration, rrweb.SourceAdoptedStyleSheet:
			return true
		}
		return false
	}
	return false
}

// eachMember calls fn with the raw key (between its quotes) and raw value
// of each member of the canonical JSON object obj, in order, until fn
// returns false. It returns false if fn did, or if obj is not a
// canonical object after all.
func eachMember(obj []byte, fn func(key, val []byte) bool) bool {
	if len(obj) < 2 || obj[0] != '{' {
		return false
	}
	i := 1
	if obj[i] == '}' {
		return true
	}
	for {
		kEnd := stringEnd(obj, i)
		if kEnd < 0 || kEnd >= len(obj) || obj[kEnd] != ':' {
			return false
		}
		key := obj[i+1 : kEnd-1]
		vEnd := valueEnd(obj, kEnd+1)
		if vEnd < 0 || vEnd >= len(obj) {
			return false
		}
		if !fn(key, obj[kEnd+1:vEnd]) {
			return false
		}
		switch obj[vEnd] {
		case '}':
			return true
		case ',':
			i = vEnd + 1
		default:
			return false
		}
	}
}

// stringEnd returns the index just past the JSON string starting at
// b[i], or -1.
func stringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// valueEnd returns the index just past the canonical JSON value starting
// at b[i], or -1.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end := stringEnd(b, j)
				if end < 0 {
					return -1
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// plainKey reports whether key (as written, between its quotes) is ASCII
// without escapes, so that comparing its bytes is comparing the name.
func plainKey(key []byte) bool {
	for _, c := range key {
		if c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}

// plainInt parses a JSON integer of up to 18 digits, the form every
// real type takes; anything else (a fraction, an exponent, more digits)
// reports false.
func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}
