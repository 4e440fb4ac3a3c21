package collector

import (
	"bytes"
	"encoding/json"
	"slices"
	"unicode/utf8"
)

// batchFields are the keys of a batch body; a key that matches one only
// when case is ignored is left to encoding/json, which matches that way.
var batchFields = [][]byte{[]byte("site"), []byte("session"), []byte("visitor"), []byte("seq"),
	[]byte("sent_at"), []byte("tracker"), []byte("events")}

// scanBatch reads a body the way DecodeBatch's encoding/json decode does,
// for the form the tracker sends (JSON.stringify: no whitespace, keys as
// spelt, strings without escapes, integer seq): one validating pass of
// validJSON (encoding/json.Valid's grammar, faster), then a walk of the
// top-level members without reflection, the events left in place as
// slices of raw rather than copied. ok is
// false for any other form, and DecodeBatch then decodes with
// encoding/json, which also words any error; so this changes the cost of
// a decode, never its result.
func scanBatch(raw []byte) (b Batch, ok bool) {
	if !validJSON(raw) {
		return Batch{}, false
	}
	var seq []byte
	var seen uint8 // one bit per field of batchFields
	ok = eachMember(raw, func(key, val []byte) bool {
		field := slices.IndexFunc(batchFields, func(f []byte) bool { return string(key) == string(f) })
		if field < 0 {
			// A field the batch does not have is ignored, as encoding/json
			// does, unless it might match one when case is folded.
			return plainKey(key) && !slices.ContainsFunc(batchFields, func(f []byte) bool { return bytes.EqualFold(key, f) })
		}
		if seen&(1<<field) != 0 {
			// encoding/json keeps the last value but reports a type
			// error in any of them: left to it.
			return false
		}
		seen |= 1 << field
		switch string(key) {
		case "site":
			return plainString(val, &b.Site)
		case "session":
			return plainString(val, &b.Session)
		case "visitor":
			return plainString(val, &b.Visitor)
		case "tracker":
			return plainString(val, &b.Tracker)
		case "seq":
			seq = val
			return true
		case "sent_at":
			var ok bool
			b.SentAt, ok = plainInt(val)
			return ok
		default: // events
			var ok bool
			b.Events, ok = objectElements(val)
			return ok
		}
	})
	if !ok || seq == nil {
		return Batch{}, false
	}
	if b.Seq, ok = plainInt(seq); !ok {
		return Batch{}, false
	}
	return b, true
}

// plainString sets *dst to the JSON string val if it has no escapes and
// is valid UTF-8 (encoding/json would replace bad bytes; DecodeBatch has
// already replaced them anyway).
func plainString(val []byte, dst *string) bool {
	if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' || bytes.IndexByte(val, '\\') >= 0 || !utf8.Valid(val) {
		return false
	}
	*dst = string(val[1 : len(val)-1])
	return true
}

// objectElements splits a JSON array whose elements are all objects,
// written without whitespace between them, into its elements. An empty
// array gives an empty, non-nil slice, as encoding/json does.
func objectElements(arr []byte) ([]json.RawMessage, bool) {
	if len(arr) < 2 || arr[0] != '[' || arr[len(arr)-1] != ']' {
		return nil, false
	}
	out := make([]json.RawMessage, 0, bytes.Count(arr, []byte(`},{`))+1)
	if len(arr) == 2 {
		return out, true
	}
	i := 1
	for {
		if arr[i] != '{' {
			return nil, false
		}
		end := valueEnd(arr, i)
		if end < 0 || end >= len(arr) {
			return nil, false
		}
		out = append(out, arr[i:end:end])
		switch arr[end] {
		case ']':
			return out, end == len(arr)-1
		case ',':
			i = end + 1
		default:
			return nil, false
		}
	}
}
