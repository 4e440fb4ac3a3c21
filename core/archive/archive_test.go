package archive

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixtures are recorded rrweb streams under testdata.
var fixtures = []string{
	"rrweb-test-utils.sampleEvents.json",
	"input.json",
	"video-playback.json",
	"rrweb-player-public-events.json",
}

func loadFixture(t testing.TB, name string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var events []json.RawMessage
	if err := json.Unmarshal(b, &events); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return events
}

func testHeader() Header {
	return Header{
		Site:      "demo",
		Session:   "s_fixture01",
		Visitor:   "v_fixture01",
		StartedAt: time.Date(2026, 11, 26, 12, 0, 0, 0, time.FixedZone("CET", 3600)),
		EndedAt:   time.Date(2026, 11, 26, 12, 1, 21, 80e6, time.UTC),
		Pages:     []string{"/", "/cart"},
		Source:    "rrweb-import",
	}
}

// writeArchive encodes events and returns the file bytes and the writer.
func writeArchive(t testing.TB, h Header, events []json.RawMessage) ([]byte, *Writer) {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range events {
		if err := w.Write(ev); err != nil {
			t.Fatalf("write event %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w
}

func compact(t testing.TB, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRoundTrip(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			events := loadFixture(t, name)
			file, w := writeArchive(t, testHeader(), events)
			if got, want := w.Events(), int64(len(events)); got != want {
				t.Errorf("Events() = %d, want %d", got, want)
			}

			r, err := NewReader(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			h := r.Header()
			want := testHeader()
			if h.Session != want.Session || h.Site != want.Site || h.Visitor != want.Visitor || h.Source != want.Source {
				t.Errorf("header = %+v, want %+v", h, want)
			}
			if !h.StartedAt.Equal(want.StartedAt) || !h.EndedAt.Equal(want.EndedAt) {
				t.Errorf("header times = %v..%v, want %v..%v", h.StartedAt, h.EndedAt, want.StartedAt, want.EndedAt)
			}
			if h.Format != FormatName || h.Version != Version {
				t.Errorf("header format = %q v%d, want %q v%d", h.Format, h.Version, FormatName, Version)
			}
			for i := 0; ; i++ {
				ev, err := r.Next()
				if err == io.EOF {
					if i != len(events) {
						t.Errorf("read %d events, want %d", i, len(events))
					}
					break
				}
				if err != nil {
					t.Fatalf("event %d: %v", i, err)
				}
				if got, want := string(ev), compact(t, events[i]); got != want {
					t.Fatalf("event %d = %.120s, want %.120s", i, got, want)
				}
			}

			h2, typed, err := ReadAll(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if h2.Session != want.Session || len(typed) != len(events) {
				t.Fatalf("ReadAll = %q, %d events; want %q, %d", h2.Session, len(typed), want.Session, len(events))
			}
			var first struct {
				Type      int   `json:"type"`
				Timestamp int64 `json:"timestamp"`
			}
			if err := json.Unmarshal(events[len(events)-1], &first); err != nil {
				t.Fatal(err)
			}
			last := typed[len(typed)-1]
			if int(last.Type) != first.Type || last.Timestamp != first.Timestamp {
				t.Errorf("last event = type %d ts %d, want type %d ts %d", last.Type, last.Timestamp, first.Type, first.Timestamp)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			events := loadFixture(t, name)
			a, wa := writeArchive(t, testHeader(), events)
			// The same instant in another zone, and re-indented events, are
			// the same input.
			h := testHeader()
			h.StartedAt = h.StartedAt.UTC()
			indented := make([]json.RawMessage, len(events))
			for i, ev := range events {
				var b bytes.Buffer
				if err := json.Indent(&b, ev, "", "  "); err != nil {
					t.Fatal(err)
				}
				indented[i] = b.Bytes()
			}
			b, wb := writeArchive(t, h, indented)
			if !bytes.Equal(a, b) {
				t.Fatalf("two writes of the same input differ: %d and %d bytes", len(a), len(b))
			}
			sum := sha256.Sum256(a)
			if got, want := wa.Sum(), hex.EncodeToString(sum[:]); got != want {
				t.Errorf("Sum() = %s, want sha256 of the file %s", got, want)
			}
			if wa.Sum() != wb.Sum() {
				t.Errorf("sums differ: %s, %s", wa.Sum(), wb.Sum())
			}
			if got, want := wa.Size(), int64(len(a)); got != want {
				t.Errorf("Size() = %d, want %d", got, want)
			}
			// No gzip name and no mtime.
			if a[3]&0x08 != 0 || !bytes.Equal(a[4:8], []byte{0, 0, 0, 0}) {
				t.Errorf("gzip header flags %#x mtime % x, want no name and zero mtime", a[3], a[4:8])
			}
		})
	}
}

func TestWriterRejects(t *testing.T) {
	tests := []struct {
		name  string
		event string
	}{
		{"not JSON", `{"type":`},
		{"array", `[1,2]`},
		{"string", `"x"`},
		{"empty", ``},
		{"trailer look-alike", `{"trailer":{"events":0,"sha256":""}}`},
		{"trailer look-alike with spaces", `{ "trailer" : 1 }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(io.Discard, testHeader())
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(json.RawMessage(tt.event)); err == nil {
				t.Fatalf("Write(%q) = nil, want an error", tt.event)
			}
			// The writer stays usable and the archive stays valid.
			if err := w.Write(json.RawMessage(`{"type":4,"data":{},"timestamp":1}`)); err != nil {
				t.Fatalf("Write after a rejected event: %v", err)
			}
		})
	}
}

func TestWriterRejectsOtherFormats(t *testing.T) {
	for _, h := range []Header{{Format: "other"}, {Version: 3}, {Format: FormatName, Version: -1}} {
		if _, err := NewWriter(io.Discard, h); !errors.Is(err, ErrUnsupportedVersion) {
			t.Errorf("NewWriter(format %q v%d) error = %v, want ErrUnsupportedVersion", h.Format, h.Version, err)
		}
	}
}

func TestWriterEmptyArchive(t *testing.T) {
	file, w := writeArchive(t, Header{Session: "s_empty001"}, nil)
	h, events, err := ReadAll(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if h.Session != "s_empty001" || len(events) != 0 || w.Events() != 0 {
		t.Errorf("got session %q with %d events, want s_empty001 with 0", h.Session, len(events))
	}
	if h.Pages == nil {
		t.Errorf("pages = nil, want [] so JSON consumers see a list")
	}
	if !strings.HasPrefix(zcat(t, file), `{"format":"loupe-archive","version":2,`) {
		t.Errorf("first line = %.60q, want the format first", zcat(t, file))
	}
}

func zcat(t testing.TB, file []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
