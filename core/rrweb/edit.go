package rrweb

import (
	"bytes"
	"encoding/json"
)

// EditData decodes an event's data as a generic object (numbers kept as
// recorded), lets fix change it in place and encodes it again when fix
// reports a change. Events that need no change keep their bytes. ok is
// false when data is not a JSON object or cannot be encoded again; each
// caller decides what stands in for such an event (the sanitizer drops
// it, the asset rewrite keeps it as it is).
func EditData(data json.RawMessage, fix func(map[string]any) bool) (out json.RawMessage, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // keep ids and coordinates exactly as recorded
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	if !fix(m) {
		return data, true
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	return b, true
}

// IDOf reads a node id from a generic object decoded by EditData (a
// json.Number), or a float64 or int; anything else is -1.
func IDOf(v any) int {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
		if f, err := n.Float64(); err == nil {
			return int(f)
		}
	case float64:
		return int(n)
	case int:
		return n
	}
	return -1
}
