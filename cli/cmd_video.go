package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "video",
		summary: "render a session's replay to a video file (.webm, .mp4 or .gif)",
		run:     runVideo,
	})
}

// videoRequest is what to render: a stretch of a session's replay as
// frames of a fixed size, fps frames per second of video, speed times
// faster than it was recorded.
type videoRequest struct {
	from, to      int64 // ms into the replay; to < 0 means its end
	width, height int
	speed         float64
	fps           int
	format        string // "gif", "webm" or "mp4"
}

// frameTimes returns the replay moment of each frame for a replay of
// total ms: a clip of (to-from)/speed of video at fps, so a frame every
// 1000*speed/fps ms of replay, the first at from.
func (r videoRequest) frameTimes(total int64) ([]int64, error) {
	to := r.to
	if to < 0 || to > total {
		to = total
	}
	if r.from >= to {
		return nil, fmt.Errorf("nothing to render: --from %s is not before the end %s (the replay lasts %s)", clockText(r.from), clockText(to), clockText(total))
	}
	step := 1000 * r.speed / float64(r.fps)
	n := int(float64(to-r.from)/step + 0.5)
	if n < 1 {
		n = 1
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = r.from + int64(float64(i)*step+0.5)
	}
	return out, nil
}

func runVideo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("video", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	id := fs.String("session", "", "id of the session to render")
	from := fs.String("from", "0:00", "where to start in the replay (m:ss, h:mm:ss or seconds)")
	to := fs.String("to", "", "where to stop (default: the end of the replay)")
	size := fs.String("size", "1280x720", "frame size WIDTHxHEIGHT in pixels")
	speed := fs.Float64("speed", 1, "playback speed: 2 makes a clip half as long as the stretch")
	fps := fs.Int("fps", 10, "frames per second of video")
	out := fs.String("out", "", "file to write: .webm or .mp4 (need ffmpeg) or .gif")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe video --workspace F --session ID [--from 0:30 --to 1:45] [--size 1280x720] [--speed 2] [--fps 10] --out clip.webm|.gif|.mp4")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *id == "" || *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: --session and --out are required", errUsage)
	}
	req, err := parseVideoRequest(*from, *to, *size, *speed, *fps, *out)
	if err != nil {
		// Usage errors are not printed by Main; this one says what is wrong.
		fmt.Fprintf(stderr, "loupe video: %v\n", err)
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	// Say what this machine lacks before any work.
	chromium, err := findChromium()
	if err != nil {
		return err
	}
	if req.format != "gif" {
		if _, err := lookFFmpeg(); err != nil {
			return err
		}
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Session(ctx, *id); errors.Is(err, workspace.ErrNotFound) {
		return fmt.Errorf("there is no session %q in %s", *id, db.Path())
	} else if err != nil {
		return fmt.Errorf("video: %w", err)
	}
	n, err := renderVideo(ctx, db, chromium, *id, req, *out, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s: %d frames, %dx%d, %s at %d fps\n", *out, n, req.width, req.height,
		(time.Duration(n) * time.Second / time.Duration(req.fps)).Round(100*time.Millisecond), req.fps)
	return nil
}

func parseVideoRequest(from, to, size string, speed float64, fps int, out string) (videoRequest, error) {
	r := videoRequest{to: -1, speed: speed, fps: fps}
	var err error
	if r.from, err = parseClock(from); err != nil {
		return r, fmt.Errorf("--from: %w", err)
	}
	if to != "" {
		if r.to, err = parseClock(to); err != nil {
			return r, fmt.Errorf("--to: %w", err)
		}
		if r.to <= r.from {
			return r, fmt.Errorf("--to %s is not after --from %s", to, from)
		}
	}
	w, h, ok := strings.Cut(strings.ToLower(size), "x")
	if r.width, err = strconv.Atoi(w); !ok || err != nil || r.width < 16 || r.width > 7680 {
		return r, fmt.Errorf("--size %q: want WIDTHxHEIGHT, each 16 to 7680 pixels", size)
	}
	if r.height, err = strconv.Atoi(h); err != nil || r.height < 16 || r.height > 7680 {
		return r, fmt.Errorf("--size %q: want WIDTHxHEIGHT, each 16 to 7680 pixels", size)
	}
	if speed <= 0 || speed > 64 {
		return r, fmt.Errorf("--speed %v: want more than 0 and at most 64", speed)
	}
	if fps < 1 || fps > 60 {
		return r, fmt.Errorf("--fps %d: want 1 to 60", fps)
	}
	switch ext := strings.ToLower(filepath.Ext(out)); ext {
	case ".gif", ".webm", ".mp4":
		r.format = ext[1:]
	default:
		return r, fmt.Errorf("--out %q: the name must end in .webm, .mp4 or .gif", out)
	}
	// WebM and MP4 are encoded as YUV 4:2:0, which halves the colour
	// resolution and so needs even sides.
	if r.format != "gif" && (r.width%2 != 0 || r.height%2 != 0) {
		return r, fmt.Errorf("--size %q: a %s needs an even width and height", size, r.format)
	}
	return r, nil
}

// parseClock reads "1:45", "0:01:45", "105" or "105.5" (seconds) as ms.
func parseClock(s string) (int64, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ":")
	if len(parts) > 3 || s == "" {
		return 0, fmt.Errorf("%q: want m:ss, h:mm:ss or seconds", s)
	}
	var ms float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || (i > 0 && v >= 60) {
			return 0, fmt.Errorf("%q: want m:ss, h:mm:ss or seconds", s)
		}
		ms = ms*60 + v
	}
	return int64(ms*1000 + 0.5), nil
}

func clockText(ms int64) string {
	s := ms / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// renderVideo renders the frames one by one and streams each to the
// encoder, writing out atomically (a failed run leaves out as it was).
func renderVideo(ctx context.Context, db *workspace.DB, chromium, id string, req videoRequest, out string, stderr io.Writer) (int, error) {
	fsrv, err := startFrameServer(db)
	if err != nil {
		return 0, err
	}
	defer fsrv.close()
	fr, err := openFrames(ctx, chromium, fsrv.url, id, req.width, req.height)
	if err != nil {
		return 0, err
	}
	defer fr.close()
	times, err := req.frameTimes(fr.total)
	if err != nil {
		return 0, err
	}
	enc, err := newVideoEncoder(out, req)
	if err != nil {
		return 0, err
	}
	defer enc.discard()
	bar := newProgressBar(stderr, "video")
	for i, t := range times {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		frame, err := fr.frame(t)
		if err != nil {
			return 0, err
		}
		if err := enc.add(frame); err != nil {
			return 0, fmt.Errorf("video: %w", err)
		}
		bar.update(i+1, len(times), clockText(t))
	}
	bar.finish()
	if err := enc.commit(); err != nil {
		return 0, fmt.Errorf("video: %w", err)
	}
	return len(times), nil
}

// videoEncoder writes frames to a hidden file beside out and renames it
// over out when done.
type videoEncoder struct {
	tmp    string
	out    string
	file   *os.File   // gif
	gif    *gifStream // gif
	ffmpeg *ffmpegStream
	done   bool
}

func newVideoEncoder(out string, req videoRequest) (*videoEncoder, error) {
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	e := &videoEncoder{tmp: f.Name(), out: out}
	if req.format == "gif" {
		e.file, e.gif = f, newGIFStream(f, req.fps)
		return e, nil
	}
	f.Close()
	if e.ffmpeg, err = startFFmpeg(e.tmp, req.format, req.fps); err != nil {
		os.Remove(e.tmp)
		return nil, err
	}
	return e, nil
}

func (e *videoEncoder) add(frame []byte) error {
	if e.ffmpeg != nil {
		return e.ffmpeg.add(frame)
	}
	img, err := png.Decode(bytes.NewReader(frame))
	if err != nil {
		return fmt.Errorf("frame: %w", err)
	}
	return e.gif.add(img)
}

func (e *videoEncoder) commit() error {
	if e.ffmpeg != nil {
		if err := e.ffmpeg.close(); err != nil {
			return err
		}
		e.ffmpeg = nil
		f, err := os.OpenFile(e.tmp, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		e.file = f
	} else if err := e.gif.close(); err != nil {
		return err
	}
	err := e.file.Chmod(atomicfile.DefaultPerm)
	if err == nil {
		err = e.file.Sync()
	}
	if cerr := e.file.Close(); err == nil {
		err = cerr
	}
	e.file = nil
	if err == nil {
		err = os.Rename(e.tmp, e.out)
	}
	if err != nil {
		return err
	}
	e.done = true
	return atomicfile.SyncDir(filepath.Dir(e.out))
}

// discard removes the unfinished file unless commit ran.
func (e *videoEncoder) discard() {
	if e.done {
		return
	}
	if e.ffmpeg != nil {
		e.ffmpeg.abort()
	}
	if e.file != nil {
		e.file.Close()
	}
	os.Remove(e.tmp)
}
