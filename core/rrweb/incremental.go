package rrweb

import "encoding/json"

// Incremental is the payload of an IncrementalSnapshot event. rrweb sends a
// different shape per source; they are decoded into one struct in a single
// pass (decoding twice would double the cost of every event). Source says
// which fields are meaningful:
//
//	SourceMutation                         Adds, Removes, Texts, Attributes, IsAttachIframe
//	SourceMouseMove, TouchMove, Drag       Positions
//	SourceMouseInteraction                 Type, ID, X, Y
//	SourceScroll                           ID, X, Y
//	SourceViewportResize                   Width, Height
//	SourceInput                            ID, Text, IsChecked, UserTriggered
//	SourceMediaInteraction                 ID (Type is the media action)
type Incremental struct {
	Source IncrementalSource `json:"source"`

	Adds           []AddedNode       `json:"adds"`
	Removes        []RemovedNode     `json:"removes"`
	Texts          []TextChange      `json:"texts"`
	Attributes     []AttributeChange `json:"attributes"`
	IsAttachIframe bool              `json:"isAttachIframe"`

	Positions []Position `json:"positions"`

	Type MouseInteraction `json:"type"`
	ID   int              `json:"id"`
	X    float64          `json:"x"`
	Y    float64          `json:"y"`

	Width  float64 `json:"width"`
	Height float64 `json:"height"`

	Text          string `json:"text"`
	IsChecked     bool   `json:"isChecked"`
	UserTriggered *bool  `json:"userTriggered"`
}

// AddedNode is one node added by a mutation. NextID is the sibling it goes
// before (nil: append; old recorders write -1 for the same).
type AddedNode struct {
	ParentID   int   `json:"parentId"`
	NextID     *int  `json:"nextId"`
	PreviousID *int  `json:"previousId"`
	Node       *Node `json:"node"`
}

// RemovedNode is one node removed by a mutation.
type RemovedNode struct {
	ParentID int  `json:"parentId"`
	ID       int  `json:"id"`
	IsShadow bool `json:"isShadow"`
}

// TextChange sets a text node's content.
type TextChange struct {
	ID    int     `json:"id"`
	Value *string `json:"value"`
}

// AttributeChange sets attributes of one element. A value is a string, null
// (the attribute was removed) or, for style, an object of property changes;
// values stay raw so the replay gets them unchanged.
type AttributeChange struct {
	ID         int                        `json:"id"`
	Attributes map[string]json.RawMessage `json:"attributes"`
}

// Position is one sampled pointer position in viewport coordinates.
type Position struct {
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
	ID         int     `json:"id"`
	TimeOffset float64 `json:"timeOffset"`
}
