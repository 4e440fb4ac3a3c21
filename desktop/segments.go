package desktop

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Segments is the segment builder: the text syntax and the AND/OR/NOT
// tree kept in step, a live count, and saved segments.
type Segments struct {
	ctx context.Context
	db  *workspace.DB
}

// NewSegments binds the segment builder to a workspace.
func NewSegments(db *workspace.DB) *Segments {
	return &Segments{ctx: context.Background(), db: db}
}

// savedSegmentsKey is the settings key holding saved segments.
const savedSegmentsKey = "workbench.segments"

// SegmentView is one segment in both forms with the sessions it matches.
type SegmentView struct {
	Text  string       `json:"text"`
	Tree  segment.Node `json:"tree"`
	Count int          `json:"count"`
	Total int          `json:"total"`
}

// SavedSegment is a named segment kept in the workspace.
type SavedSegment struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// FieldInfo describes an attribute the builder offers.
type FieldInfo struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // text, path, number, duration, tags, trait
	Doc  string `json:"doc"`
}

var kindNames = map[segment.FieldKind]string{
	segment.Text: "text", segment.PathField: "path", segment.Number: "number",
	segment.Duration: "duration", segment.TagSet: "tags", segment.Trait: "trait",
}

// Fields lists the attributes a condition can compare.
func (s *Segments) Fields() ([]FieldInfo, error) {
	out := make([]FieldInfo, 0, len(segment.Fields))
	for _, f := range segment.Fields {
		out = append(out, FieldInfo{Name: f.Name, Kind: kindNames[f.Kind], Doc: f.Doc})
	}
	return out, nil
}

// Parse reads the text syntax and returns both forms and the count; empty
// text is the segment of every session.
func (s *Segments) Parse(text string) (SegmentView, error) {
	if strings.TrimSpace(text) == "" {
		return s.view(nil)
	}
	e, err := segment.Parse(text)
	if err != nil {
		return SegmentView{}, fail(err, "read segment")
	}
	return s.view(e)
}

// FromTree reads the builder's tree and returns both forms and the count.
func (s *Segments) FromTree(tree segment.Node) (SegmentView, error) {
	if tree.Op == "" || (tree.Op == "and" && len(tree.Terms) == 0) {
		return s.view(nil)
	}
	e, err := segment.FromNode(tree)
	if err != nil {
		return SegmentView{}, fail(err, "read segment")
	}
	return s.view(e)
}

func (s *Segments) view(e segment.Expr) (SegmentView, error) {
	total, err := s.db.Count(s.ctx, workspace.SessionQuery{})
	if err != nil {
		return SegmentView{}, fail(err, "count segment")
	}
	if e == nil {
		return SegmentView{Tree: segment.Node{Op: "and", Terms: []segment.Node{}}, Count: total, Total: total}, nil
	}
	n, err := s.db.Count(s.ctx, workspace.SessionQuery{}.WithSegment(e))
	if err != nil {
		return SegmentView{}, fail(err, "count segment")
	}
	return SegmentView{Text: e.String(), Tree: segment.ToNode(e), Count: n, Total: total}, nil
}

// Saved lists the saved segments by name.
func (s *Segments) Saved() ([]SavedSegment, error) {
	var list []SavedSegment
	if _, err := s.db.Setting(s.ctx, savedSegmentsKey, &list); err != nil {
		return nil, fail(err, "list saved segments")
	}
	if list == nil {
		list = []SavedSegment{}
	}
	return list, nil
}

// Save stores a segment under a name, replacing one of the same name.
func (s *Segments) Save(name, text string) ([]SavedSegment, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, fail(fmt.Errorf("a saved segment needs a name: %w", ErrInvalid), "save segment")
	}
	e, err := segment.Parse(text)
	if err != nil {
		return nil, fail(err, "save segment")
	}
	list, err := s.Saved()
	if err != nil {
		return nil, err
	}
	out := []SavedSegment{{Name: name, Text: e.String()}}
	for _, x := range list {
		if x.Name != name {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if err := s.db.SetSetting(s.ctx, savedSegmentsKey, out); err != nil {
		return nil, fail(err, "save segment")
	}
	return out, nil
}

// Delete removes a saved segment.
func (s *Segments) Delete(name string) ([]SavedSegment, error) {
	list, err := s.Saved()
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, x := range list {
		if x.Name != name {
			out = append(out, x)
		}
	}
	if len(out) == len(list) {
		return nil, fail(fmt.Errorf("segment %q: %w", name, ErrNotFound), "delete segment")
	}
	if err := s.db.SetSetting(s.ctx, savedSegmentsKey, out); err != nil {
		return nil, fail(err, "delete segment")
	}
	return out, nil
}
