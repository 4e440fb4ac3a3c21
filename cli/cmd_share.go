package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/loupe-dev/loupe/assets"
	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/share"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "share",
		summary: "write a session, a stretch of one or a saved playlist as one HTML file that plays offline",
		run:     runShare,
	})
}

func runShare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("share", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	id := fs.String("session", "", "id of the session to share")
	playlist := fs.String("playlist", "", "name of a saved presenter playlist to share instead of one session")
	compare := fs.String("compare", "", "two session ids, A,B, to share side by side on one clock")
	align := fs.String("align", "", "with --compare: align at \"start\" (default) or where each first reached a funnel step, e.g. page:/checkout*")
	from := fs.String("from", "", "start of the stretch to share (s, m:ss or h:mm:ss; default: the start)")
	to := fs.String("to", "", "end of the stretch to share (default: the end)")
	title := fs.String("title", "", "title shown in the file")
	traits := fs.Bool("traits", false, "include the identified user id and identify() traits (left out by default)")
	out := fs.String("out", "", "HTML file to write")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe share --workspace F (--session ID [--from 0:30 --to 1:45] | --playlist NAME | --compare A,B [--align STEP]) --out FILE.html [--traits]")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	// Usage errors are not printed by the caller, so each says itself what is wrong.
	refuse := func(msg string) error {
		fmt.Fprintln(stderr, "loupe share: "+msg)
		return fmt.Errorf("%w: %s", errUsage, msg)
	}
	chosen := 0
	for _, v := range []string{*id, *playlist, *compare} {
		if v != "" {
			chosen++
		}
	}
	if *out == "" || chosen != 1 {
		fs.Usage()
		return fmt.Errorf("%w: --out and exactly one of --session, --playlist or --compare are required", errUsage)
	}
	if *id == "" && (*from != "" || *to != "") {
		return refuse("--from and --to apply to --session; a playlist keeps its own stretches")
	}
	if *align != "" && *compare == "" {
		return refuse("--align applies to --compare")
	}
	var pair []string
	if *compare != "" {
		pair = strings.Split(*compare, ",")
		if len(pair) != 2 || strings.TrimSpace(pair[0]) == "" || strings.TrimSpace(pair[1]) == "" {
			return refuse(fmt.Sprintf("--compare takes two session ids, A,B; got %q", *compare))
		}
		pair[0], pair[1] = strings.TrimSpace(pair[0]), strings.TrimSpace(pair[1])
	}
	clip := share.Clip{Session: *id}
	var err error
	if *from != "" {
		if clip.FromMS, err = share.ParseOffset(*from); err != nil {
			return fmt.Errorf("--from: %w", err)
		}
	}
	if *to != "" {
		if clip.ToMS, err = share.ParseOffset(*to); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
		if clip.ToMS <= clip.FromMS {
			return fmt.Errorf("--to %s is not after --from %s", *to, *from)
		}
	}
	js, css, err := assets.SharePlayer()
	if err != nil {
		return fmt.Errorf("the one-file player is missing from this build: %w", err)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	clips := []share.Clip{clip}
	opt := share.Options{Title: *title, Traits: *traits}
	if *playlist != "" {
		p, err := db.PlaylistByName(ctx, *playlist)
		if errors.Is(err, workspace.ErrNotFound) {
			return fmt.Errorf("there is no playlist %q in %s", *playlist, db.Path())
		}
		if err != nil {
			return err
		}
		if len(p.Items) == 0 {
			return fmt.Errorf("playlist %q is empty", *playlist)
		}
		clips = share.PlaylistClips(p)
		if opt.Title == "" {
			opt.Title = p.Name
		}
	}
	var html []byte
	var st share.Stats
	if pair != nil {
		clips = []share.Clip{{Session: pair[0]}, {Session: pair[1]}}
		var p share.Pair
		p, err = share.Align(ctx, db, pair[0], pair[1], *align)
		if err == nil {
			html, st, err = share.BuildPair(ctx, db, pair[0], pair[1], p, opt, share.Player{JS: js, CSS: css})
		}
	} else {
		html, st, err = share.Build(ctx, db, clips, opt, share.Player{JS: js, CSS: css})
	}
	if errors.Is(err, workspace.ErrNotFound) {
		return fmt.Errorf("there is no such session in %s: %w", db.Path(), err)
	}
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(*out, html, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "wrote %s: %s (%d bytes), %d item(s), %d events, %d page assets (%s inlined once each)\n",
		*out, byteSize(int64(st.Bytes)), st.Bytes, len(clips), st.Events, st.Assets, byteSize(int64(st.AssetBytes)))
	return nil
}
