package derive

import (
	"encoding/json"
	"reflect"

	fastjson "github.com/segmentio/encoding/json"
)

// decodePayload decodes a custom event's or plugin's payload into v. Every
// session's identify, page, error and network payloads pass through here,
// so it reads them with the one-pass decoder core/rrweb uses for event
// payloads. A payload that decoder refuses is decoded again, from a zero
// v, by encoding/json, whose error and partial result the callers were
// written against (some keep what a malformed payload still yields);
// FuzzPayloadDecoders holds the two to the same facts.
var decodePayload = func(b []byte, v any) error {
	if fastjson.Unmarshal(b, v) == nil {
		return nil
	}
	reflect.ValueOf(v).Elem().SetZero()
	return json.Unmarshal(b, v)
}
