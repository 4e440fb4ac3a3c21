package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
)

// errNoFFmpeg says plainly why a WebM or MP4 cannot be made here.
var errNoFFmpeg = errors.New("making a WebM or MP4 needs ffmpeg, which is not on this machine; install it (apt-get install ffmpeg) or ask for a .gif")

// lookFFmpeg finds ffmpeg on PATH.
func lookFFmpeg() (string, error) {
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", errNoFFmpeg
	}
	return bin, nil
}

// ffmpegStream pipes PNG frames into ffmpeg, which encodes them as they
// arrive, so no frame is held longer than it takes to write.
type ffmpegStream struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	stderr bytes.Buffer
}

// startFFmpeg starts ffmpeg writing format ("webm" or "mp4") to out at
// fps frames a second.
func startFFmpeg(out, format string, fps int) (*ffmpegStream, error) {
	bin, err := lookFFmpeg()
	if err != nil {
		return nil, err
	}
	args := []string{"-hide_banner", "-loglevel", "error", "-y",
		"-f", "image2pipe", "-framerate", strconv.Itoa(fps), "-c:v", "png", "-i", "-"}
	switch format {
	case "webm":
		// VP8 at realtime settings: VP9 is several times slower for a
		// screen recording that gains little from it.
		args = append(args, "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "2M", "-pix_fmt", "yuv420p", "-f", "webm")
	case "mp4":
		args = append(args, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4")
	default:
		return nil, fmt.Errorf("ffmpeg: unknown format %q", format)
	}
	s := &ffmpegStream{cmd: exec.Command(bin, append(args, out)...)}
	s.cmd.Stderr = &s.stderr
	if s.in, err = s.cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("ffmpeg: %w", err)
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("ffmpeg: %w", err)
	}
	return s, nil
}

// add writes one PNG frame.
func (s *ffmpegStream) add(png []byte) error {
	if _, err := s.in.Write(png); err != nil {
		return s.fail(err)
	}
	return nil
}

// close ends the input and waits for ffmpeg to finish the file.
func (s *ffmpegStream) close() error {
	s.in.Close()
	if err := s.cmd.Wait(); err != nil {
		return s.fail(err)
	}
	return nil
}

// abort stops ffmpeg without waiting for a finished file.
func (s *ffmpegStream) abort() {
	s.in.Close()
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

func (s *ffmpegStream) fail(err error) error {
	if msg := bytes.TrimSpace(s.stderr.Bytes()); len(msg) > 0 {
		return fmt.Errorf("ffmpeg: %w: %s", err, msg)
	}
	return fmt.Errorf("ffmpeg: %w", err)
}
