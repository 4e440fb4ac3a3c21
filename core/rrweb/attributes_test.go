package rrweb

import (
	"encoding/json"
	"reflect"
	"testing"

	fastjson "github.com/segmentio/encoding/json"
)

// referenceAttributes decodes attributes the slow, obviously right way.
func referenceAttributes(b []byte) (Attributes, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	out := Attributes{}
	for k, v := range raw {
		if s, ok := AttrText(v); ok {
			out[k] = s
		}
	}
	return out, nil
}

func TestAttributesScanner(t *testing.T) {
	tests := []string{
		`{}`,
		`{"class":"a b","id":"x"}`,
		` { "a" : "1" , "b":2 ,"c":true,"d":false,"e":null } `,
		`{"style":{"color":"red","x":["}",{"y":"\"]"}]},"after":"ok"}`,
		`{"k\"ey":"v\\al\"ue\u00e9","t\u0061b":"\t"}`,
		`{"n":-1.5e3,"m":0,"arr":[1,"]",{"}":1}],"z":"z"}`,
		`{"dup":"1","dup":"2"}`,
		"{\n\t\"multi\":\n\t\"line\"\n}",
	}
	for _, in := range tests {
		var got Attributes
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		want, _ := referenceAttributes([]byte(in))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", in, got, want)
		}
	}
	var bad struct{ A Attributes }
	if err := json.Unmarshal([]byte(`{"A":[1]}`), &bad); err == nil {
		t.Errorf("attributes given an array: got no error")
	}
}

// FuzzAttributes checks the attribute scanner against encoding/json on
// every valid object.
func FuzzAttributes(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":"b"}`, `{"s":{"x":"}"},"t":[1,"]"]}`, `{"e":"\u0041\n","n":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want, err := referenceAttributes(b)
		if err != nil || !json.Valid(b) {
			return
		}
		// Both decoders in use call the scanner: encoding/json and the
		// one-pass decoder of event payloads.
		for name, unmarshal := range map[string]func([]byte, any) error{"encoding/json": json.Unmarshal, "one-pass": fastjson.Unmarshal} {
			var got Attributes
			if err := unmarshal(b, &got); err != nil {
				t.Fatalf("%s: valid object rejected: %v", name, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s: got %v, want %v", name, got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Fatalf("%s: key %q: got %q, want %q", name, k, got[k], v)
				}
			}
		}
	})
}
