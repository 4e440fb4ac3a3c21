package desktop

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/loupe-dev/loupe/core/workspace"
)

// Notes keeps notes and bookmarks on session timelines, in the workspace.
type Notes struct {
	scope
	db *workspace.DB
}

// NewNotes binds timeline notes to a workspace.
func NewNotes(db *workspace.DB) *Notes {
	return &Notes{scope: unscoped(), db: db}
}

// maxNoteChars bounds one note; notes are annotations, not documents.
const maxNoteChars = 4000

// List returns a session's notes in timeline order.
func (n *Notes) List(session string) ([]workspace.Note, error) {
	out, err := n.db.Notes(n.ctx, session)
	return out, fail(err, "list notes")
}

// Add saves a note (or, with bookmark set, a bookmark whose text may be
// empty) at offsetMS into the session.
func (n *Notes) Add(session string, offsetMS int64, text string, bookmark bool) (workspace.Note, error) {
	text = strings.TrimSpace(text)
	switch {
	case session == "":
		return workspace.Note{}, fail(ErrInvalid, "add note: no session")
	case offsetMS < 0:
		return workspace.Note{}, fail(fmt.Errorf("offset %d ms is before the session: %w", offsetMS, ErrInvalid), "add note")
	case text == "" && !bookmark:
		return workspace.Note{}, fail(fmt.Errorf("a note needs text: %w", ErrInvalid), "add note")
	case utf8.RuneCountInString(text) > maxNoteChars:
		return workspace.Note{}, fail(fmt.Errorf("a note holds at most %d characters: %w", maxNoteChars, ErrInvalid), "add note")
	}
	note, err := n.db.AddNote(n.ctx, workspace.Note{Session: session, OffsetMS: offsetMS, Text: text, Bookmark: bookmark})
	return note, fail(err, "add note")
}

// Delete removes a note.
func (n *Notes) Delete(id int64) error {
	return fail(n.db.DeleteNote(n.ctx, id), "delete note")
}
