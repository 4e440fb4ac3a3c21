// Package share builds one-file replays: a single HTML file that plays a
// session, a stretch of one, or a playlist of them, from file:// with no
// network. The file holds the player's code, the chosen events
// (sanitized, gzip-compressed), the page assets they use (each digest
// once, as a data: URI), the timeline markers, console and network rows,
// and the session's notes — nothing else of the workspace.
package share

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/replay"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Clip is one item of a file: a session, or the stretch of it between
// FromMS and ToMS (0 means its end), with an optional title and caption.
type Clip struct {
	Session string
	FromMS  int64
	ToMS    int64
	Title   string
	Caption string
}

// Options says what besides the replay a file carries.
type Options struct {
	// Title names the file (the page title and heading).
	Title string
	// Traits adds the identified user id and identify() traits; left out
	// unless asked, since they are often personal data.
	Traits bool
}

// Player is the compiled one-file player: its script and stylesheet.
type Player struct {
	JS  []byte
	CSS []byte
}

// Stats describes a built file.
type Stats struct {
	Bytes  int
	Events int
	Assets int
	// AssetBytes is the size of the inlined data: URIs.
	AssetBytes int
}

// AssetToken prefixes a digest where the events reference a stored asset;
// the player swaps each for the digest's data: URI before replaying, so
// an image used in a hundred places is carried once.
const AssetToken = "loupe-asset:"

var tokenPattern = regexp.MustCompile(AssetToken + "[0-9a-f]{64}")

// payload is the JSON the player reads from the file.
type payload struct {
	Title  string            `json:"title"`
	Items  []item            `json:"items"`
	Assets map[string]string `json:"assets"`
	// Compare, when set, plays the two items side by side.
	Compare *pairInfo `json:"compare,omitempty"`
}

type item struct {
	Title   string `json:"title"`
	Caption string `json:"caption"`
	Meta    meta   `json:"session"`
	// StartMS is the offset into the session of the first carried event;
	// every offset below is counted from it.
	StartMS int64 `json:"start_ms"`
	// FromMS is where playing starts, from StartMS.
	FromMS    int64              `json:"from_ms"`
	Pageviews []core.Pageview    `json:"pageviews"`
	Clicks    []core.Click       `json:"clicks"`
	Errors    []core.JSError     `json:"errors"`
	Requests  []core.Request     `json:"requests"`
	Custom    []core.CustomEvent `json:"custom_events"`
	Notes     []note             `json:"notes"`
	// Events is the gzip-compressed JSON event array, base64-encoded.
	Events string `json:"events"`
}

type meta struct {
	StartedAt  time.Time         `json:"started_at"`
	DurationMS int64             `json:"duration_ms"`
	Device     string            `json:"device"`
	Browser    string            `json:"browser"`
	OS         string            `json:"os"`
	Viewport   core.Viewport     `json:"viewport"`
	UserID     string            `json:"user_id,omitempty"`
	Traits     map[string]string `json:"traits,omitempty"`
}

type note struct {
	OffsetMS int64  `json:"offset_ms"`
	Text     string `json:"text"`
	Bookmark bool   `json:"bookmark"`
}

// Build writes the one-file replay of clips (at least one) and reports
// its size.
func Build(ctx context.Context, db *workspace.DB, clips []Clip, opt Options, p Player) ([]byte, Stats, error) {
	return build(ctx, db, clips, opt, p, nil)
}

func build(ctx context.Context, db *workspace.DB, clips []Clip, opt Options, p Player, pair *Pair) ([]byte, Stats, error) {
	if len(clips) == 0 {
		return nil, Stats{}, errors.New("nothing to share: no session given")
	}
	if len(p.JS) == 0 {
		return nil, Stats{}, errors.New("the one-file player is not built")
	}
	pl := payload{Title: opt.Title, Assets: map[string]string{}}
	var st Stats
	used := map[string]bool{}
	for _, c := range clips {
		it, n, err := buildItem(ctx, db, c, opt, pl.Assets, used)
		if err != nil {
			return nil, Stats{}, fmt.Errorf("share %s: %w", c.Session, err)
		}
		st.Events += n
		pl.Items = append(pl.Items, it)
	}
	if pair != nil {
		// The player counts time from each item's first carried event.
		pl.Compare = &pairInfo{Align: pair.Label,
			AlignA: max(0, pair.AMS-pl.Items[0].StartMS), AlignB: max(0, pair.BMS-pl.Items[1].StartMS)}
	}
	// Assets only the cut-away part of a session used stay out.
	for sha := range pl.Assets {
		if !used[sha] {
			delete(pl.Assets, sha)
		}
	}
	for _, uri := range pl.Assets {
		st.Assets++
		st.AssetBytes += len(uri)
	}
	data, err := json.Marshal(pl)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("share: %w", err)
	}
	out := render(pl.Title, data, p)
	st.Bytes = len(out)
	return out, st, nil
}

func buildItem(ctx context.Context, db *workspace.DB, c Clip, opt Options, assets map[string]string, used map[string]bool) (item, int, error) {
	sess, err := db.Session(ctx, c.Session)
	if err != nil {
		return item{}, 0, err
	}
	var linkErr error
	link := func(a replay.Asset) string {
		if !replay.InlineType(a.Type) || len(a.SHA256) != 64 {
			return ""
		}
		if _, ok := assets[a.SHA256]; !ok {
			stored, err := db.OpenAsset(ctx, a.SHA256)
			if err != nil {
				linkErr = err
				return ""
			}
			assets[a.SHA256] = "data:" + a.Type + ";base64," + base64.StdEncoding.EncodeToString(stored.Data)
		}
		return AssetToken + a.SHA256
	}
	events, _, err := replay.SessionLinked(ctx, db, c.Session, link)
	if err != nil {
		return item{}, 0, err
	}
	if linkErr != nil && !errors.Is(linkErr, workspace.ErrNotFound) {
		return item{}, 0, fmt.Errorf("read asset: %w", linkErr)
	}
	kept, start, err := Cut(events, c.FromMS, c.ToMS)
	if err != nil {
		return item{}, 0, err
	}
	facts, err := db.Facts(ctx, c.Session)
	if err != nil {
		return item{}, 0, err
	}
	notes, err := db.Notes(ctx, c.Session)
	if err != nil {
		return item{}, 0, err
	}
	end := c.ToMS
	if end == 0 {
		end = kept[len(kept)-1].Timestamp - events[0].Timestamp
	}
	in := func(ms int64) bool { return ms >= c.FromMS && ms <= end }
	it := item{Title: c.Title, Caption: c.Caption, StartMS: start, FromMS: c.FromMS - start,
		Meta: meta{StartedAt: sess.StartedAt, DurationMS: end - c.FromMS, Device: sess.Device,
			Browser: sess.Browser, OS: sess.OS, Viewport: sess.Viewport},
		Pageviews: []core.Pageview{}, Clicks: []core.Click{}, Errors: []core.JSError{},
		Requests: []core.Request{}, Custom: []core.CustomEvent{}, Notes: []note{}}
	if opt.Traits {
		it.Meta.UserID, it.Meta.Traits = sess.UserID, sess.Traits
	}
	if facts != nil {
		for _, v := range facts.Pageviews {
			if in(v.OffsetMS) {
				v.OffsetMS -= start
				it.Pageviews = append(it.Pageviews, v)
			}
		}
		for _, v := range facts.Clicks {
			if in(v.OffsetMS) {
				v.OffsetMS -= start
				it.Clicks = append(it.Clicks, v)
			}
		}
		for _, v := range facts.Errors {
			if in(v.OffsetMS) {
				v.OffsetMS -= start
				it.Errors = append(it.Errors, v)
			}
		}
		for _, v := range facts.Requests {
			if in(v.OffsetMS) {
				v.OffsetMS -= start
				it.Requests = append(it.Requests, v)
			}
		}
		for _, v := range facts.CustomEvents {
			if in(v.OffsetMS) {
				v.OffsetMS -= start
				it.Custom = append(it.Custom, v)
			}
		}
	}
	for _, n := range notes {
		if in(n.OffsetMS) {
			it.Notes = append(it.Notes, note{OffsetMS: n.OffsetMS - start, Text: n.Text, Bookmark: n.Bookmark})
		}
	}
	raw, err := json.Marshal(kept)
	if err != nil {
		return item{}, 0, err
	}
	for _, m := range tokenPattern.FindAll(raw, -1) {
		used[string(m[len(AssetToken):])] = true
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if _, err := zw.Write(raw); err != nil {
		return item{}, 0, err
	}
	if err := zw.Close(); err != nil {
		return item{}, 0, err
	}
	it.Events = base64.StdEncoding.EncodeToString(z.Bytes())
	return it, len(kept), nil
}

// PlaylistClips turns a saved playlist into the clips of a file.
func PlaylistClips(p workspace.Playlist) []Clip {
	out := make([]Clip, len(p.Items))
	for i, it := range p.Items {
		out[i] = Clip{Session: it.Session, FromMS: it.FromMS, ToMS: it.ToMS, Title: it.Title, Caption: it.Caption}
	}
	return out
}
