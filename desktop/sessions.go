package desktop

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/period"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Sessions is the sessions list: filter, sort and page through the
// workspace's sessions.
type Sessions struct {
	scope
	db *workspace.DB
}

// NewSessions binds the sessions list to a workspace.
func NewSessions(db *workspace.DB) *Sessions {
	return &Sessions{scope: unscoped(), db: db}
}

// SessionQuery is what the list's filters and sort send.
type SessionQuery struct {
	Sort          string `json:"sort"`
	Desc          bool   `json:"desc"`
	Site          string `json:"site"`
	Page          string `json:"page"`
	Device        string `json:"device"`
	MinDurationMS int64  `json:"min_duration_ms"`
	MaxDurationMS int64  `json:"max_duration_ms"`
	Errors        bool   `json:"errors"`
	Frustrated    bool   `json:"frustrated"`
	Text          string `json:"text"`
	Tag           string `json:"tag"`
	Segment       string `json:"segment"` // segment text syntax
	Visitor       string `json:"visitor"`
	// From and To bound when the sessions started: dates (To inclusive)
	// or RFC 3339 times (To exclusive); "" leaves that end open.
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// SessionPage is one window of the list and the number of matches.
type SessionPage struct {
	Total    int            `json:"total"`
	Sessions []core.Session `json:"sessions"`
}

// maxPage bounds one window; the list asks for a few hundred rows at a time.
const maxPage = 1000

// List returns the sessions in q's window and how many match in all.
func (s *Sessions) List(q SessionQuery) (SessionPage, error) {
	wq, err := q.workspaceQuery()
	if err != nil {
		return SessionPage{}, fail(err, "list sessions")
	}
	total, err := s.db.Count(s.ctx, wq)
	if err != nil {
		return SessionPage{}, fail(err, "list sessions")
	}
	list, err := s.db.Sessions(s.ctx, wq)
	if err != nil {
		return SessionPage{}, fail(err, "list sessions")
	}
	if list == nil {
		list = []core.Session{}
	}
	return SessionPage{Total: total, Sessions: list}, nil
}

func (q SessionQuery) workspaceQuery() (workspace.SessionQuery, error) {
	if q.Offset < 0 || q.Limit < 0 {
		return workspace.SessionQuery{}, fmt.Errorf("offset %d and limit %d must not be negative: %w", q.Offset, q.Limit, ErrInvalid)
	}
	limit := q.Limit
	if limit == 0 || limit > maxPage {
		limit = maxPage
	}
	sort := q.Sort
	if sort == "errors" {
		sort = "js_errors" // the list's "errors" column orders by JS errors
	}
	if sort != "" && q.Desc {
		sort = "-" + sort
	} else if sort == "" && !q.Desc {
		sort = "-started_at"
	}
	wq := workspace.SessionQuery{
		Site: q.Site, Page: q.Page, Device: q.Device, MinDurationMS: q.MinDurationMS, MaxDurationMS: q.MaxDurationMS,
		HasErrors: q.Errors, Text: strings.TrimSpace(q.Text), Tag: q.Tag, Sort: sort, Limit: limit, Offset: q.Offset,
		Frustrated: q.Frustrated, Visitor: q.Visitor,
	}
	var err error
	if wq.From, wq.To, err = period.Parse(q.From, q.To); err != nil {
		return wq, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if strings.TrimSpace(q.Segment) != "" {
		e, err := segment.Parse(q.Segment)
		if err != nil {
			return wq, err
		}
		wq = wq.WithSegment(e)
	}
	return wq, nil
}

// Facets returns the values the list's filters offer.
func (s *Sessions) Facets() (workspace.Facets, error) {
	f, err := s.db.ListFacets(s.ctx)
	return f, fail(err, "list filter values")
}

// Get returns one session.
func (s *Sessions) Get(id string) (core.Session, error) {
	if id == "" {
		return core.Session{}, fail(ErrInvalid, "session id is empty")
	}
	sess, err := s.db.Session(s.ctx, id)
	return sess, fail(err, "open session")
}

// FlagTag is the tag the workbench's flag button sets.
const FlagTag = "flagged"

// maxTagLen bounds a tag typed by hand.
const maxTagLen = 40

// Tag adds a tag by hand and returns the session with its tags.
func (s *Sessions) Tag(id, tag string) (core.Session, error) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if err := checkTag(tag); err != nil {
		return core.Session{}, fail(err, "tag session")
	}
	if err := s.db.AddTag(s.ctx, id, tag); err != nil {
		return core.Session{}, fail(err, "tag session")
	}
	return s.Get(id)
}

// Untag removes a tag and returns the session with its tags.
func (s *Sessions) Untag(id, tag string) (core.Session, error) {
	if err := s.db.RemoveTag(s.ctx, id, strings.ToLower(strings.TrimSpace(tag))); err != nil {
		return core.Session{}, fail(err, "untag session")
	}
	return s.Get(id)
}

// checkTag accepts short tags of letters, digits, '_', '-' and spaces, the
// characters the segment syntax can name without quoting trouble.
func checkTag(tag string) error {
	if tag == "" || len(tag) > maxTagLen {
		return fmt.Errorf("a tag has 1 to %d characters: %w", maxTagLen, ErrInvalid)
	}
	for _, r := range tag {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == ' ') {
			return fmt.Errorf("tag %q: use letters, digits, '_', '-' and spaces: %w", tag, ErrInvalid)
		}
	}
	return nil
}
