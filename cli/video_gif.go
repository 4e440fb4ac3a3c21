package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"io"
)

// gifStream writes an animated GIF one frame at a time. image/gif's
// EncodeAll wants every frame in memory at once, which a long replay
// cannot afford; so each frame is encoded on its own by image/gif with the
// one shared palette, and its image block is spliced after a header and a
// graphic control extension written here. The bytes stay valid GIF89a:
// header, global colour table, looping extension, then per frame a control
// extension and an image block, then the trailer.
type gifStream struct {
	w      *bufio.Writer
	delay  int // hundredths of a second per frame
	frames int
	buf    bytes.Buffer
	pm     *image.Paletted
	// nearest caches each colour's palette index: a screen of a web page
	// has few distinct colours, and palette.Index searches all 256.
	nearest map[uint32]uint8
}

// gifPalette is the shared palette every frame is quantized to (each
// pixel to its nearest colour): Plan 9's 256 colours cover greys and
// saturated colours evenly, and one palette for all frames lets the
// stream carry a single global colour table. No dithering: it costs a
// palette search per pixel (too slow at 1280x720) and makes flat page
// backgrounds noisy.
var gifPalette = color.Palette(palette.Plan9)

// gifHeaderLen is the length of a single-frame image/gif file before its
// image block: signature, screen descriptor and the 256-colour table.
const gifHeaderLen = 6 + 7 + 3*256

func newGIFStream(w io.Writer, fps int) *gifStream {
	delay := (100 + fps/2) / fps
	return &gifStream{w: bufio.NewWriterSize(w, 1<<20), delay: max(delay, 1), nearest: map[uint32]uint8{}}
}

// add quantizes img and appends it as the next frame.
func (g *gifStream) add(img image.Image) error {
	b := img.Bounds()
	if g.pm == nil || g.pm.Bounds() != b {
		g.pm = image.NewPaletted(b, gifPalette)
	}
	g.quantize(img)
	g.buf.Reset()
	if err := gif.Encode(&g.buf, g.pm, &gif.Options{NumColors: 256}); err != nil {
		return fmt.Errorf("gif frame %d: %w", g.frames+1, err)
	}
	one := g.buf.Bytes()
	if len(one) < gifHeaderLen+2 || one[10]&0x87 != 0x87 || one[gifHeaderLen] != 0x2C || one[len(one)-1] != 0x3B {
		return errors.New("gif frame: unexpected layout from image/gif")
	}
	if g.frames == 0 {
		if _, err := g.w.Write(one[:gifHeaderLen]); err != nil {
			return err
		}
		// NETSCAPE2.0: loop forever.
		if _, err := g.w.Write([]byte{0x21, 0xFF, 0x0B, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0', 0x03, 0x01, 0x00, 0x00, 0x00}); err != nil {
			return err
		}
	}
	// Graphic control extension: no disposal, the frame's delay.
	if _, err := g.w.Write([]byte{0x21, 0xF9, 0x04, 0x04, byte(g.delay), byte(g.delay >> 8), 0x00, 0x00}); err != nil {
		return err
	}
	if _, err := g.w.Write(one[gifHeaderLen : len(one)-1]); err != nil {
		return err
	}
	g.frames++
	return nil
}

// quantize maps img's pixels to their nearest palette colours in g.pm.
func (g *gifStream) quantize(img image.Image) {
	b := img.Bounds()
	// Pages with gradients or photos can have many colours; bound the cache.
	if len(g.nearest) > 1<<18 {
		clear(g.nearest)
	}
	index := func(r, gr, bl, a uint32) uint8 {
		key := r>>8<<24 | gr>>8<<16 | bl>>8<<8 | a>>8
		i, ok := g.nearest[key]
		if !ok {
			i = uint8(gifPalette.Index(color.RGBA64{uint16(r), uint16(gr), uint16(bl), uint16(a)}))
			g.nearest[key] = i
		}
		return i
	}
	if rgba, ok := img.(*image.RGBA); ok {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := rgba.Pix[rgba.PixOffset(b.Min.X, y):]
			out := g.pm.Pix[g.pm.PixOffset(b.Min.X, y):]
			for x := 0; x < b.Dx(); x++ {
				p := row[4*x : 4*x+4]
				out[x] = index(uint32(p[0])*0x101, uint32(p[1])*0x101, uint32(p[2])*0x101, uint32(p[3])*0x101)
			}
		}
		return
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, gr, bl, a := img.At(x, y).RGBA()
			g.pm.SetColorIndex(x, y, index(r, gr, bl, a))
		}
	}
}

// close writes the trailer.
func (g *gifStream) close() error {
	if g.frames == 0 {
		return errors.New("gif: no frames")
	}
	if err := g.w.WriteByte(0x3B); err != nil {
		return err
	}
	return g.w.Flush()
}
