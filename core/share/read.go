package share

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// ErrNotShareFile is returned by Read for a file that holds no replay.
var ErrNotShareFile = errors.New("not a one-file replay")

// Contents is what a one-file replay carries, decoded.
type Contents struct {
	Title string
	// Items are the clips in order, with their events decompressed.
	Items []ItemContents
	// Assets maps each carried digest to its data: URI.
	Assets map[string]string
	// Pair is set for a side-by-side file: its alignment, in ms from each
	// item's first carried event.
	Pair *Pair
}

// ItemContents is one decoded clip of a file.
type ItemContents struct {
	Title, Caption  string
	StartMS, FromMS int64
	Events          []rrweb.Event
	Markers         int
	Notes           int
}

// Read decodes a one-file replay, so a file can be checked for what it
// holds (and what it does not) without a browser.
func Read(html []byte) (Contents, error) {
	const open = `<script type="application/json" id="loupe-share">`
	i := bytes.Index(html, []byte(open))
	if i < 0 {
		return Contents{}, ErrNotShareFile
	}
	rest := html[i+len(open):]
	j := bytes.Index(rest, []byte("</script>"))
	if j < 0 {
		return Contents{}, ErrNotShareFile
	}
	var p payload
	if err := json.Unmarshal(rest[:j], &p); err != nil {
		return Contents{}, fmt.Errorf("%w: %w", ErrNotShareFile, err)
	}
	c := Contents{Title: p.Title, Assets: p.Assets}
	if p.Compare != nil {
		c.Pair = &Pair{Label: p.Compare.Align, AMS: p.Compare.AlignA, BMS: p.Compare.AlignB}
	}
	for _, it := range p.Items {
		z, err := base64.StdEncoding.DecodeString(it.Events)
		if err != nil {
			return c, fmt.Errorf("events of %q: %w", it.Title, err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			return c, fmt.Errorf("events of %q: %w", it.Title, err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			return c, fmt.Errorf("events of %q: %w", it.Title, err)
		}
		ic := ItemContents{Title: it.Title, Caption: it.Caption, StartMS: it.StartMS, FromMS: it.FromMS, Notes: len(it.Notes),
			Markers: len(it.Pageviews) + len(it.Clicks) + len(it.Errors) + len(it.Custom)}
		if err := json.Unmarshal(raw, &ic.Events); err != nil {
			return c, fmt.Errorf("events of %q: %w", it.Title, err)
		}
		c.Items = append(c.Items, ic)
	}
	return c, nil
}
