package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

func TestFrameTimes(t *testing.T) {
	r := videoRequest{from: 30_000, to: 105_000, speed: 2, fps: 10}
	times, err := r.frameTimes(200_000)
	if err != nil {
		t.Fatal(err)
	}
	// 75 s of replay at double speed is 37.5 s of video: 375 frames, one
	// every 200 ms of replay.
	if len(times) != 375 || times[0] != 30_000 || times[1] != 30_200 || times[374] != 30_000+374*200 {
		t.Fatalf("frame times: %d frames, %v … %v", len(times), times[:2], times[len(times)-1])
	}
	// --to past the end stops at the end.
	r = videoRequest{from: 0, to: -1, speed: 1, fps: 5}
	if times, _ = r.frameTimes(3_000); len(times) != 15 {
		t.Fatalf("to the end of a 3 s replay at 5 fps: %d frames, want 15", len(times))
	}
	if _, err := (videoRequest{from: 5_000, to: -1, speed: 1, fps: 5}).frameTimes(3_000); err == nil {
		t.Fatal("a start past the end rendered something")
	}
}

func TestParseVideoRequest(t *testing.T) {
	r, err := parseVideoRequest("0:30", "1:45", "1280x720", 2, 10, "clip.MP4")
	if err != nil || r.from != 30_000 || r.to != 105_000 || r.width != 1280 || r.height != 720 || r.format != "mp4" {
		t.Fatalf("got %+v, %v", r, err)
	}
	for _, bad := range [][]string{
		{"0:30", "0:10", "1280x720", "clip.gif"}, // to before from
		{"0:75", "", "1280x720", "clip.gif"},     // seconds past 59
		{"0", "", "1280", "clip.gif"},            // size without height
		{"0", "", "1281x720", "clip.webm"},       // odd width for a webm
		{"0", "", "1280x720", "clip.avi"},        // unknown format
	} {
		if _, err := parseVideoRequest(bad[0], bad[1], bad[2], 1, 10, bad[3]); err == nil {
			t.Errorf("parseVideoRequest(%q) accepted", bad)
		}
	}
}

// TestVideoRendersTheReplay renders a generated session with the real
// Chromium and checks the files: frame count and size as asked, and
// frames that change as the replay moves.
func TestVideoRendersTheReplay(t *testing.T) {
	if _, err := findChromium(); err != nil {
		t.Skipf("no Chromium on this machine, so no video can be rendered: %v", err)
	}
	ws, sessions := cliWorkspace(t, 6)
	s := sessions[0]
	for _, c := range sessions {
		if d := replayLength(c.Events); d > replayLength(s.Events) {
			s = c
		}
	}
	total := replayLength(s.Events)
	if total < 4000 {
		t.Fatalf("longest generated session lasts %d ms; want a few seconds", total)
	}
	// About a dozen frames over the whole replay.
	speed := float64(total) / 3000
	want, err := (videoRequest{to: -1, speed: speed, fps: 4}).frameTimes(total)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "clip.gif")
	args := []string{"video", "--workspace", ws, "--session", s.Header.Session, "--size", "320x200", "--fps", "4",
		"--speed", strconv.FormatFloat(speed, 'f', -1, 64)}
	if _, stderr, err := runCLI(t, append(args, "--out", out)...); err != nil {
		t.Fatalf("loupe video: %v\n%s", err, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(f)
	f.Close()
	if err != nil {
		t.Fatalf("decode the GIF: %v", err)
	}
	if len(g.Image) != len(want) || g.Config.Width != 320 || g.Config.Height != 200 {
		t.Fatalf("GIF has %d frames of %dx%d, want %d of 320x200", len(g.Image), g.Config.Width, g.Config.Height, len(want))
	}
	changes := 0
	for i := 1; i < len(g.Image); i++ {
		if !bytes.Equal(g.Image[i].Pix, g.Image[i-1].Pix) {
			changes++
		}
	}
	if changes == 0 {
		t.Fatal("every frame of the GIF is the same: the replay did not move")
	}
	if g.Delay[0] != 25 {
		t.Errorf("frame delay %d hundredths, want 25 at 4 fps", g.Delay[0])
	}

	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Log("no ffprobe on this machine: WebM and MP4 not checked")
		return
	}
	for _, ext := range []string{"webm", "mp4"} {
		out := filepath.Join(dir, "clip."+ext)
		if _, stderr, err := runCLI(t, append(args, "--out", out)...); err != nil {
			t.Fatalf("loupe video %s: %v\n%s", ext, err, stderr)
		}
		frames, w, h := probe(t, out)
		if frames != len(want) || w != 320 || h != 200 {
			t.Errorf("%s has %d frames of %dx%d, want %d of 320x200", ext, frames, w, h, len(want))
		}
	}
}

func TestVideoRefusesPlainly(t *testing.T) {
	ws, sessions := cliWorkspace(t, 1)
	_, _, err := runCLI(t, "video", "--workspace", ws, "--session", "no-such-session", "--out", filepath.Join(t.TempDir(), "x.gif"))
	if _, missing := findChromium(); missing != nil {
		if !errors.Is(err, errNoChromium) {
			t.Fatalf("no browser: %v", err)
		}
	} else if err == nil || !strings.Contains(err.Error(), `no session "no-such-session"`) {
		t.Fatalf("unknown session: %v", err)
	}
	t.Setenv("LOUPE_CHROMIUM", filepath.Join(t.TempDir(), "absent"))
	_, _, err = runCLI(t, "video", "--workspace", ws, "--session", sessions[0].Header.Session, "--out", filepath.Join(t.TempDir(), "x.gif"))
	if err == nil || !strings.Contains(err.Error(), "LOUPE_CHROMIUM") {
		t.Fatalf("missing browser: %v", err)
	}
}

// replayLength is the time from a session's first event to its last.
func replayLength(events []rrweb.Event) int64 {
	if len(events) < 2 {
		return 0
	}
	return events[len(events)-1].Timestamp - events[0].Timestamp
}

// probe counts a video's frames and reads its size with ffprobe.
func probe(t *testing.T, path string) (frames, width, height int) {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=nb_read_frames,width,height", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var r struct {
		Streams []struct {
			Frames string `json:"nb_read_frames"`
			Width  int    `json:"width"`
			Height int    `json:"height"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &r); err != nil || len(r.Streams) != 1 {
		t.Fatalf("ffprobe %s: %s (%v)", path, out, err)
	}
	n, err := strconv.Atoi(r.Streams[0].Frames)
	if err != nil {
		t.Fatal(fmt.Errorf("ffprobe frame count %q: %w", r.Streams[0].Frames, err))
	}
	return n, r.Streams[0].Width, r.Streams[0].Height
}
