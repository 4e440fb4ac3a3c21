package archive

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// gzipLines builds an archive by hand, so tests can write what the Writer
// never would.
func gzipLines(t testing.TB, lines ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, CompressionLevel)
	for _, l := range lines {
		if _, err := io.WriteString(zw, l); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	headerLine = `{"format":"loupe-archive","version":1,"site":"demo","session":"s_hand0001","visitor":"v_hand0001","started_at":"2026-11-26T12:00:00Z","ended_at":"2026-11-26T12:00:01Z","pages":["/"]}` + "\n"
	eventLine  = `{"type":4,"data":{"href":"http://localhost/","width":1280,"height":800},"timestamp":1764158400000}` + "\n"
)

// trailerFor is the correct trailer for lines.
func trailerFor(n int, lines ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	return fmt.Sprintf(`{"trailer":{"events":%d,"sha256":"%s"}}`+"\n", n, hex.EncodeToString(sum[:]))
}

// readErr reads src to the end and returns the first error, or nil after a
// clean io.EOF.
func readErr(src []byte) error {
	r, err := NewReader(bytes.NewReader(src))
	if err != nil {
		return err
	}
	for {
		_, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestHandBuiltArchiveReads(t *testing.T) {
	// The hand builder agrees with the format, so the corruption cases below
	// fail for the reason they name.
	file := gzipLines(t, headerLine, eventLine, trailerFor(1, headerLine, eventLine))
	if err := readErr(file); err != nil {
		t.Fatalf("hand-built archive: %v", err)
	}
}

func TestReaderRejects(t *testing.T) {
	valid := gzipLines(t, headerLine, eventLine, trailerFor(1, headerLine, eventLine))
	otherMember := append(append([]byte{}, valid...), gzipLines(t, eventLine)...)
	longEvent := `{"type":3,"data":"` + strings.Repeat("x", 4096) + `"}` + "\n"

	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"empty file", nil, ErrTruncated},
		{"not gzip", []byte("plain text, not an archive\n"), ErrCorrupt},
		{"gzip of nothing", gzipLines(t), ErrCorrupt},
		{"header not JSON", gzipLines(t, "loupe\n"), ErrCorrupt},
		{"header of another format", gzipLines(t, `{"format":"har","version":1}`+"\n"), ErrUnsupportedVersion},
		{"header without format", gzipLines(t, `{"version":1}`+"\n"), ErrUnsupportedVersion},
		{"newer version", gzipLines(t, `{"format":"loupe-archive","version":3}`+"\n"), ErrUnsupportedVersion},
		{"header without newline", gzipLines(t, strings.TrimSuffix(headerLine, "\n")), ErrCorrupt},
		{"no trailer", gzipLines(t, headerLine, eventLine), ErrCorrupt},
		{"no trailer, no events", gzipLines(t, headerLine), ErrCorrupt},
		{"trailer counts too many", gzipLines(t, headerLine, eventLine, trailerFor(2, headerLine, eventLine)), ErrCorrupt},
		{"trailer counts too few", gzipLines(t, headerLine, eventLine, trailerFor(0, headerLine, eventLine)), ErrCorrupt},
		{"trailer without count", gzipLines(t, headerLine, eventLine, `{"trailer":{"sha256":"00"}}`+"\n"), ErrCorrupt},
		{"trailer with wrong sha256", gzipLines(t, headerLine, eventLine, trailerFor(1, headerLine)), ErrCorrupt},
		{"trailer not JSON", gzipLines(t, headerLine, eventLine, `{"trailer":{`+"\n"), ErrCorrupt},
		{"trailer without newline", gzipLines(t, headerLine, eventLine, strings.TrimSuffix(trailerFor(1, headerLine, eventLine), "\n")), ErrCorrupt},
		{"event after trailer", gzipLines(t, headerLine, eventLine, trailerFor(1, headerLine, eventLine), eventLine), ErrCorrupt},
		{"event not an object", gzipLines(t, headerLine, "[1]\n", trailerFor(1, headerLine, "[1]\n")), ErrCorrupt},
		{"event not JSON", gzipLines(t, headerLine, "{oops\n", trailerFor(1, headerLine, "{oops\n")), ErrCorrupt},
		{"empty line", gzipLines(t, headerLine, "\n", trailerFor(0, headerLine, "\n")), ErrCorrupt},
		{"garbage after gzip stream", append(append([]byte{}, valid...), "junk"...), ErrCorrupt},
		{"second gzip member", otherMember, ErrCorrupt},
		{"line over the cap", gzipLines(t, headerLine, longEvent, trailerFor(1, headerLine, longEvent)), ErrCorrupt},
	}
	defer func(old int) { maxLineBytes = old }(maxLineBytes)
	maxLineBytes = 1024
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readErr(tt.file)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			_, _, err = ReadAll(bytes.NewReader(tt.file))
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadAll error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReadAllRejectsNonEvents(t *testing.T) {
	bad := `{"type":"four","timestamp":1}` + "\n"
	file := gzipLines(t, headerLine, bad, trailerFor(1, headerLine, bad))
	if err := readErr(file); err != nil {
		t.Fatalf("Reader: %v, want the raw line accepted", err)
	}
	if _, _, err := ReadAll(bytes.NewReader(file)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("ReadAll error = %v, want ErrCorrupt", err)
	}
}

func TestTruncatedAtEveryOffset(t *testing.T) {
	file, _ := writeArchive(t, testHeader(), loadFixture(t, "input.json"))
	for n := 0; n < len(file); n++ {
		if err := readErr(file[:n]); !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d of %d bytes: error = %v, want ErrTruncated", n, len(file), err)
		}
	}
}

func TestFlippedByteAtEveryOffset(t *testing.T) {
	file, _ := writeArchive(t, testHeader(), loadFixture(t, "input.json"))
	content := zcat(t, file)
	invisible := 0
	for i := range file {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := bytes.Clone(file)
			bad[i] ^= mask
			err := readErr(bad)
			if err != nil {
				// A flip can also garble the header's format or version
				// before the gzip checksum is reached: a streaming reader
				// reports what it sees first.
				checkArchiveError(t, err)
				continue
			}
			// Accepted: only bits no decoder looks at may differ (gzip's
			// MTIME, XFL, OS and FTEXT header fields, padding after the last
			// deflate block). The store's file digest covers those.
			if got, ok := gunzip(bad); !ok || got != content {
				t.Fatalf("byte %d ^ %#x: accepted with different content", i, mask)
			}
			invisible++
		}
	}
	if max := 3*7 + 3*2; invisible > max {
		t.Errorf("%d flips went unnoticed, want at most %d (header fields and padding)", invisible, max)
	}
}

func gunzip(b []byte) (string, bool) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", false
	}
	out, err := io.ReadAll(zr)
	return string(out), err == nil
}

func TestTamperedInsideValidGzip(t *testing.T) {
	// Someone edits an event and recompresses: gzip is valid, the trailer
	// is not.
	file, _ := writeArchive(t, testHeader(), loadFixture(t, "input.json"))
	text := zcat(t, file)
	edited := strings.Replace(text, `"timestamp":`, `"timestamp":1`, 1)
	if edited == text {
		t.Fatal("fixture has no timestamp to edit")
	}
	if err := readErr(gzipLines(t, edited)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error = %v, want ErrCorrupt", err)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestSourceErrorsPassThrough(t *testing.T) {
	file, _ := writeArchive(t, testHeader(), loadFixture(t, "input.json"))
	cause := errors.New("connection reset by peer")
	for _, cut := range []int{0, 5, 40, len(file) / 2, len(file) - 1} {
		src := io.MultiReader(bytes.NewReader(file[:cut]), failingReader{cause})
		err := func() error {
			r, err := NewReader(src)
			if err != nil {
				return err
			}
			for {
				if _, err := r.Next(); err != nil {
					return err
				}
			}
		}()
		if !errors.Is(err, cause) || errors.Is(err, ErrCorrupt) {
			t.Errorf("source fails after %d bytes: error = %v, want the source error, not ErrCorrupt", cut, err)
		}
	}
}

func TestNextIsStickyAfterError(t *testing.T) {
	file := gzipLines(t, headerLine, eventLine)
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatalf("first event: %v", err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if !errors.Is(err1, ErrCorrupt) || err1 != err2 {
		t.Fatalf("errors = %v then %v, want the same ErrCorrupt twice", err1, err2)
	}
}

func TestEventsAreCopies(t *testing.T) {
	events := []json.RawMessage{json.RawMessage(`{"type":1,"data":{},"timestamp":1}`), json.RawMessage(`{"type":2,"data":{},"timestamp":2}`)}
	file, _ := writeArchive(t, testHeader(), events)
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := r.Next()
	b, _ := r.Next()
	if string(a) != string(events[0]) || string(b) != string(events[1]) {
		t.Fatalf("events = %s, %s; want %s, %s", a, b, events[0], events[1])
	}
}

func TestReaderRejectsTrailerLookAlike(t *testing.T) {
	odd := `{ "trailer" : 1}` + "\n"
	file := gzipLines(t, headerLine, odd, trailerFor(1, headerLine, odd))
	if err := readErr(file); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error = %v, want ErrCorrupt", err)
	}
}
