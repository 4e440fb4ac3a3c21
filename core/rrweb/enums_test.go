package rrweb

import "testing"

// The numeric values are rrweb's wire format (positional TypeScript
// enums); changing one here would misread every recording.
func TestEnumValues(t *testing.T) {
	types := []struct {
		got  EventType
		want int
		name string
	}{
		{DomContentLoaded, 0, "DomContentLoaded"}, {Load, 1, "Load"}, {FullSnapshot, 2, "FullSnapshot"},
		{IncrementalSnapshot, 3, "IncrementalSnapshot"}, {Meta, 4, "Meta"}, {Custom, 5, "Custom"},
		{Plugin, 6, "Plugin"}, {Asset, 7, "Asset"}, {Annotation, 8, "Annotation"},
	}
	for _, tt := range types {
		if int(tt.got) != tt.want || tt.got.String() != tt.name || !tt.got.Known() {
			t.Errorf("EventType %s: got %d %q known=%v, want %d %q", tt.name, int(tt.got), tt.got.String(), tt.got.Known(), tt.want, tt.name)
		}
	}
	sources := []IncrementalSource{SourceMutation, SourceMouseMove, SourceMouseInteraction, SourceScroll,
		SourceViewportResize, SourceInput, SourceTouchMove, SourceMediaInteraction, SourceStyleSheetRule,
		SourceCanvasMutation, SourceFont, SourceLog, SourceDrag, SourceStyleDeclaration, SourceSelection,
		SourceAdoptedStyleSheet, SourceCustomElement}
	sourceNames := []string{"Mutation", "MouseMove", "MouseInteraction", "Scroll", "ViewportResize", "Input",
		"TouchMove", "MediaInteraction", "StyleSheetRule", "CanvasMutation", "Font", "Log", "Drag",
		"StyleDeclaration", "Selection", "AdoptedStyleSheet", "CustomElement"}
	for i, s := range sources {
		if int(s) != i || s.String() != sourceNames[i] {
			t.Errorf("IncrementalSource %s: got %d, want %d", sourceNames[i], int(s), i)
		}
	}
	interactions := []MouseInteraction{MouseUp, MouseDown, Click, ContextMenu, DblClick, Focus, Blur,
		TouchStart, TouchMoveDeparted, TouchEnd, TouchCancel}
	for i, m := range interactions {
		if int(m) != i || !m.Known() {
			t.Errorf("MouseInteraction %s: got %d, want %d", m, int(m), i)
		}
	}
	nodes := []NodeType{DocumentNode, DocumentTypeNode, ElementNode, TextNode, CDATANode, CommentNode}
	for i, n := range nodes {
		if int(n) != i {
			t.Errorf("NodeType %d: got %d", i, int(n))
		}
	}
	unknown := []struct {
		known bool
		name  string
	}{
		{EventType(9).Known(), EventType(9).String()},
		{IncrementalSource(17).Known(), IncrementalSource(17).String()},
		{MouseInteraction(11).Known(), MouseInteraction(11).String()},
		{EventType(-1).Known(), EventType(-1).String()},
	}
	want := []string{"EventType(9)", "IncrementalSource(17)", "MouseInteraction(11)", "EventType(-1)"}
	for i, u := range unknown {
		if u.known || u.name != want[i] {
			t.Errorf("unknown value %d: got known=%v %q, want false %q", i, u.known, u.name, want[i])
		}
	}
}
