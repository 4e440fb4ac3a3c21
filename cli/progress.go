package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progressBar draws progress on stderr: a redrawn bar on a terminal,
// a plain line at most once a second otherwise (logs, CI), so short runs
// print nothing but their result.
type progressBar struct {
	w     io.Writer
	label string
	tty   bool
	width int
	last  time.Time
	drawn bool
	done  int
	total int
}

func newProgressBar(w io.Writer, label string) *progressBar {
	b := &progressBar{w: w, label: label, width: 80, last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b.tty = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			b.width = cols
		}
	}
	return b
}

func (b *progressBar) update(done, total int, current string) {
	b.done, b.total = done, total
	now := time.Now()
	if b.tty {
		if now.Sub(b.last) < 50*time.Millisecond && done < total {
			return
		}
		b.last, b.drawn = now, true
		const barWidth = 30
		filled := 0
		if total > 0 {
			filled = barWidth * done / total
		}
		line := fmt.Sprintf("%s [%s%s] %d/%d %s", b.label, strings.Repeat("#", filled),
			strings.Repeat(".", barWidth-filled), done, total, current)
		if len(line) > b.width-1 {
			line = line[:b.width-1]
		}
		fmt.Fprintf(b.w, "\r%-*s", b.width-1, line)
		return
	}
	if now.Sub(b.last) < time.Second {
		return
	}
	b.last, b.drawn = now, true
	fmt.Fprintf(b.w, "%s: %d/%d %s\n", b.label, done, total, current)
}

// finish ends the bar's line so later output starts clean.
func (b *progressBar) finish() {
	switch {
	case b.tty && b.drawn:
		fmt.Fprintf(b.w, "\r%-*s\r", b.width-1, "")
	case !b.tty && b.drawn:
		fmt.Fprintf(b.w, "%s: %d/%d done\n", b.label, b.done, b.total)
	}
}
