package desktop

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Segments is the segment builder: the text syntax and the AND/OR/NOT
// tree kept in step, a live count, and saved segments.
type Segments struct {
	scope
	db *workspace.DB
}

// NewSegments binds the segment builder to a workspace.
func NewSegments(db *workspace.DB) *Segments {
	return &Segments{scope: unscoped(), db: db}
}

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

// Saved lists the saved segments by name, from the workspace's own table
// (the one the CLI and alert rules use).
func (s *Segments) Saved() ([]SavedSegment, error) {
	rows, err := s.db.SavedSegments(s.ctx)
	if err != nil {
		return nil, fail(err, "list saved segments")
	}
	out := make([]SavedSegment, 0, len(rows))
	for _, r := range rows {
		out = append(out, SavedSegment{Name: r.Name, Text: r.Text})
	}
	return out, nil
}

// Save stores a segment under a name, replacing one of the same name.
func (s *Segments) Save(name, text string) ([]SavedSegment, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, fail(fmt.Errorf("a saved segment needs a name: %w", ErrInvalid), "save segment")
	}
	if strings.TrimSpace(text) == "" {
		return nil, fail(fmt.Errorf("segment %q is empty: %w", name, ErrInvalid), "save segment")
	}
	e, err := segment.Parse(text)
	if err != nil {
		return nil, fail(err, "save segment")
	}
	if err := s.db.SaveSegment(s.ctx, name, e); err != nil {
		return nil, fail(err, "save segment")
	}
	return s.Saved()
}

// Delete removes a saved segment.
func (s *Segments) Delete(name string) ([]SavedSegment, error) {
	if err := s.db.DeleteSegment(s.ctx, name); err != nil {
		return nil, fail(err, "delete segment")
	}
	return s.Saved()
}
