package desktop

import (
	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/replay"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Player serves a session's replay: its sanitized rrweb events and the
// facts the timeline and panels show.
type Player struct {
	scope
	db *workspace.DB
}

// NewPlayer binds the player to a workspace.
func NewPlayer(db *workspace.DB) *Player {
	return &Player{scope: unscoped(), db: db}
}

// Replay is everything the player view needs in one call, so the first
// frame waits on one round trip.
type Replay struct {
	Session core.Session  `json:"session"`
	Facts   *core.Facts   `json:"facts"`
	Events  []rrweb.Event `json:"events"`
	// Assets says how many of the page assets the recording used are
	// stored ("42 of 43 stored; 1 missing: http 404"), with the list.
	Assets workspace.AssetCompleteness `json:"assets"`
}

// Load returns a session's replay. The events pass through replay.Prepare:
// recorded scripts, on* handlers, srcdoc and javascript: URLs never reach
// the replay iframe, which is sandboxed as well, and every image, font
// and stylesheet loads from the workspace (/asset/<sha256>) or becomes a
// placeholder, never from the recorded site.
func (p *Player) Load(id string) (Replay, error) {
	if id == "" {
		return Replay{}, fail(ErrInvalid, "session id is empty")
	}
	sess, err := p.db.Session(p.ctx, id)
	if err != nil {
		return Replay{}, fail(err, "open replay")
	}
	clean, assets, err := replay.Session(p.ctx, p.db, id, replay.Workbench)
	if err != nil {
		return Replay{}, fail(err, "open replay")
	}
	facts, err := p.db.Facts(p.ctx, id)
	if err != nil {
		return Replay{}, fail(err, "open replay")
	}
	if clean == nil {
		clean = []rrweb.Event{}
	}
	return Replay{Session: sess, Facts: facts, Events: clean, Assets: assets}, nil
}
