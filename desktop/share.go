package desktop

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/assets"
	"github.com/loupe-dev/loupe/core/share"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Shares writes one-file replays (`loupe share`): a session, a stretch of
// one, or a saved playlist as a single HTML file that plays offline — a
// download in browser mode, a file in the Downloads folder from the window.
type Shares struct {
	scope
	db  *workspace.DB
	now func() time.Time
}

// NewShares binds one-file replays to a workspace.
func NewShares(db *workspace.DB) *Shares {
	return &Shares{scope: unscoped(), db: db, now: time.Now}
}

// ShareRequest chooses what a file holds: a session (with a stretch when
// ToMS is set), a saved playlist when Playlist is set, or two sessions
// side by side when Compare is set.
type ShareRequest struct {
	Session  string `json:"session,omitempty"`
	FromMS   int64  `json:"from_ms,omitempty"`
	ToMS     int64  `json:"to_ms,omitempty"`
	Playlist string `json:"playlist,omitempty"`
	Title    string `json:"title,omitempty"`
	// Compare holds the ids of two sessions to play side by side, aligned
	// at Align ("start" or a funnel step) or, when Align is "moments", at
	// AlignAMS and AlignBMS.
	Compare  []string `json:"compare,omitempty"`
	Align    string   `json:"align,omitempty"`
	AlignAMS int64    `json:"align_a_ms,omitempty"`
	AlignBMS int64    `json:"align_b_ms,omitempty"`
	// Traits adds the identified user id and identify() traits.
	Traits bool `json:"traits,omitempty"`
}

// ShareFile is a built file: its name, size, and either its HTML (to
// download) or the path it was saved at.
type ShareFile struct {
	Name   string `json:"name"`
	HTML   string `json:"html,omitempty"`
	Path   string `json:"path,omitempty"`
	Bytes  int    `json:"bytes"`
	Events int    `json:"events"`
	Assets int    `json:"assets"`
}

// Build returns the file's HTML for the browser to download.
func (s *Shares) Build(req ShareRequest) (ShareFile, error) {
	html, f, err := s.build(req)
	if err != nil {
		return ShareFile{}, fail(err, "share")
	}
	f.HTML = string(html)
	return f, nil
}

// BuildCompare returns the side-by-side file of sessions a and b, aligned
// at their start or where each first reached a funnel step, for the
// browser to download.
func (s *Shares) BuildCompare(a, b, align string) (ShareFile, error) {
	return s.Build(ShareRequest{Compare: []string{a, b}, Align: align})
}

// SaveToDownloads writes the file into the Downloads folder, never
// replacing a file, and says where.
func (s *Shares) SaveToDownloads(req ShareRequest) (ShareFile, error) {
	html, f, err := s.build(req)
	if err != nil {
		return ShareFile{}, fail(err, "share")
	}
	dir, err := downloadsDir()
	if err != nil {
		return ShareFile{}, fail(err, "share")
	}
	path, err := writeNew(dir, f.Name, html)
	if err != nil {
		return ShareFile{}, fail(err, "share")
	}
	f.Name, f.Path = filepath.Base(path), path
	return f, nil
}

// AlignMoments in a ShareRequest aligns two sessions at two chosen
// moments rather than at a step.
const AlignMoments = "moments"

func (s *Shares) build(req ShareRequest) ([]byte, ShareFile, error) {
	if req.Compare != nil {
		return s.buildPair(req)
	}
	if (req.Session == "") == (req.Playlist == "") {
		return nil, ShareFile{}, fmt.Errorf("give a session or a playlist: %w", ErrInvalid)
	}
	if req.FromMS < 0 || req.ToMS < 0 || (req.ToMS != 0 && req.ToMS <= req.FromMS) {
		return nil, ShareFile{}, fmt.Errorf("the stretch must end after it starts: %w", ErrInvalid)
	}
	js, css, err := assets.SharePlayer()
	if err != nil {
		return nil, ShareFile{}, err
	}
	clips := []share.Clip{{Session: req.Session, FromMS: req.FromMS, ToMS: req.ToMS}}
	opt := share.Options{Title: strings.TrimSpace(req.Title), Traits: req.Traits}
	name := "loupe-replay-" + safeName(req.Session)
	if req.Playlist != "" {
		p, err := s.db.PlaylistByName(s.ctx, req.Playlist)
		if err != nil {
			return nil, ShareFile{}, err
		}
		if len(p.Items) == 0 {
			return nil, ShareFile{}, fmt.Errorf("playlist %q is empty: %w", p.Name, ErrInvalid)
		}
		clips = share.PlaylistClips(p)
		if opt.Title == "" {
			opt.Title = p.Name
		}
		name = "loupe-playlist-" + safeName(p.Name)
	}
	html, st, err := share.Build(s.ctx, s.db, clips, opt, share.Player{JS: js, CSS: css})
	if errors.Is(err, share.ErrBadStretch) {
		err = fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err != nil {
		return nil, ShareFile{}, err
	}
	return html, ShareFile{Name: name + ".html", Bytes: st.Bytes, Events: st.Events, Assets: st.Assets}, nil
}

func (s *Shares) buildPair(req ShareRequest) ([]byte, ShareFile, error) {
	if len(req.Compare) != 2 || req.Compare[0] == "" || req.Compare[1] == "" || req.Session != "" || req.Playlist != "" {
		return nil, ShareFile{}, fmt.Errorf("a comparison needs exactly two sessions: %w", ErrInvalid)
	}
	a, b := req.Compare[0], req.Compare[1]
	js, css, err := assets.SharePlayer()
	if err != nil {
		return nil, ShareFile{}, err
	}
	var p share.Pair
	if req.Align == AlignMoments {
		if req.AlignAMS < 0 || req.AlignBMS < 0 {
			return nil, ShareFile{}, fmt.Errorf("an alignment moment cannot be negative: %w", ErrInvalid)
		}
		p = share.Pair{Label: AlignMoments, AMS: req.AlignAMS, BMS: req.AlignBMS}
	} else if p, err = share.Align(s.ctx, s.db, a, b, req.Align); err != nil {
		if !errors.Is(err, workspace.ErrNotFound) {
			err = fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return nil, ShareFile{}, err
	}
	opt := share.Options{Title: strings.TrimSpace(req.Title), Traits: req.Traits}
	if opt.Title == "" {
		opt.Title = "Side by side"
	}
	html, st, err := share.BuildPair(s.ctx, s.db, a, b, p, opt, share.Player{JS: js, CSS: css})
	if err != nil {
		return nil, ShareFile{}, err
	}
	name := "loupe-compare-" + safeName(a) + "-" + safeName(b)
	return html, ShareFile{Name: name + ".html", Bytes: st.Bytes, Events: st.Events, Assets: st.Assets}, nil
}

// safeName keeps letters, digits, '-' and '_' of s for a file name.
func safeName(s string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
	if len(out) > 60 {
		out = out[:60]
	}
	return out
}

// Playlists keeps the presenter's playlists in the workspace, so a talk
// survives a reload and a restart.
type Playlists struct {
	scope
	db *workspace.DB
}

// NewPlaylists binds presenter playlists to a workspace.
func NewPlaylists(db *workspace.DB) *Playlists {
	return &Playlists{scope: unscoped(), db: db}
}

// List returns the saved playlists' names, most recently saved first.
func (p *Playlists) List() ([]string, error) {
	out, err := p.db.Playlists(p.ctx)
	return out, fail(err, "list playlists")
}

// Get returns a saved playlist.
func (p *Playlists) Get(name string) (workspace.Playlist, error) {
	out, err := p.db.PlaylistByName(p.ctx, name)
	return out, fail(err, "open playlist")
}

// Save stores a playlist's items under its name, replacing one of that
// name.
func (p *Playlists) Save(name string, items []workspace.PlaylistItem) (workspace.Playlist, error) {
	out, err := p.db.SavePlaylist(p.ctx, workspace.Playlist{Name: name, Items: items})
	if errors.Is(err, workspace.ErrInvalidPlaylist) {
		err = fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return out, fail(err, "save playlist")
}

// Delete removes a saved playlist.
func (p *Playlists) Delete(name string) error {
	return fail(p.db.DeletePlaylist(p.ctx, name), "delete playlist")
}
