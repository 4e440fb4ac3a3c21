package rrweb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// NodeType is rrweb-snapshot's serialized node kind (positional, like the
// other enums).
type NodeType int

// rrweb-snapshot NodeType values.
const (
	DocumentNode     NodeType = 0
	DocumentTypeNode NodeType = 1
	ElementNode      NodeType = 2
	TextNode         NodeType = 3
	CDATANode        NodeType = 4
	CommentNode      NodeType = 5
)

// Node is one serialized DOM node as rrweb-snapshot writes it. Shadow root
// children appear among their host's ChildNodes with IsShadow set; an
// iframe's document arrives as a Document node added under the iframe.
type Node struct {
	Type         NodeType   `json:"type"`
	ID           int        `json:"id"`
	TagName      string     `json:"tagName"`
	Attributes   Attributes `json:"attributes"`
	ChildNodes   []*Node    `json:"childNodes"`
	TextContent  string     `json:"textContent"`
	IsStyle      bool       `json:"isStyle"`
	IsSVG        bool       `json:"isSVG"`
	IsShadow     bool       `json:"isShadow"`
	IsShadowHost bool       `json:"isShadowHost"`
	RootID       int        `json:"rootId"`
	Name         string     `json:"name"`
}

// Attributes are a serialized element's attributes. rrweb writes strings,
// numbers and booleans (true for a bare attribute); all read as text here.
type Attributes map[string]string

// UnmarshalJSON accepts any scalar attribute value; objects and null are
// dropped (they carry no text a selector could use).
//
// Attributes are most of a snapshot's bytes, so they are read by a small
// scanner instead of a second reflective json.Unmarshal per element. The
// input is already a valid JSON value (encoding/json checks the whole
// document before calling UnmarshalJSON), which keeps the scanner simple.
func (a *Attributes) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		if string(b) == "null" {
			*a = nil
			return nil
		}
		return fmt.Errorf("attributes are not an object: %w", ErrBadEvent)
	}
	out := make(Attributes, 4)
	i := 1
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			break
		}
		if b[i] == ',' {
			i++
			continue
		}
		end := stringEnd(b, i)
		key := jsonString(b[i:end])
		i = skipSpace(b, end)
		i = skipSpace(b, i+1) // ':'
		vEnd := valueEnd(b, i)
		if v, ok := AttrText(b[i:vEnd]); ok {
			out[key] = v
		}
		i = vEnd
	}
	*a = out
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string starting at i.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the JSON value starting at i.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
		j++
	}
	return j
}

// jsonString decodes a JSON string literal, fast when it has no escapes
// and is valid UTF-8 (otherwise encoding/json's replacement rules apply).
func jsonString(lit []byte) string {
	if len(lit) >= 2 && bytes.IndexByte(lit, '\\') < 0 && utf8.Valid(lit) {
		return string(lit[1 : len(lit)-1])
	}
	var s string
	_ = json.Unmarshal(lit, &s)
	return s
}

// AttrText turns a raw attribute value into its text; ok is false for null
// (removal) and for objects (style changes).
func AttrText(v json.RawMessage) (string, bool) {
	if len(v) == 0 {
		return "", false
	}
	switch v[0] {
	case '"':
		return jsonString(v), true
	case 't':
		return "", true // a bare attribute such as <input disabled>
	case 'f', 'n', '{', '[':
		return "", false
	}
	if f, err := strconv.ParseFloat(string(v), 64); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	return "", false
}
