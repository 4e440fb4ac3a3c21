package archive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

// BenchmarkWriteFixture writes the real recorded session
// (rrweb-player-public-events.json, 272 events, 472 KB of indented JSON)
// and reports the archive's size and compression ratio against the
// compacted event JSON.
func BenchmarkWriteFixture(b *testing.B) {
	events := loadFixture(b, "rrweb-player-public-events.json")
	var raw int
	for _, ev := range events {
		raw += len(compact(b, ev)) + 1
	}
	var size int64
	b.SetBytes(int64(raw))
	for b.Loop() {
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, testHeader())
		for _, ev := range events {
			w.Write(ev)
		}
		w.Close()
		size = w.Size()
	}
	b.ReportMetric(float64(size), "archive-bytes")
	b.ReportMetric(float64(raw)/float64(size), "ratio")
}

// generated is n synthetic events of a typical mix (mouse moves, scrolls,
// small mutations), about 160 bytes each.
func generated(n int) []json.RawMessage {
	out := make([]json.RawMessage, n)
	for i := range out {
		var s string
		switch i % 4 {
		case 0, 1:
			s = fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":%d,"id":%d,"timeOffset":-%d}]},"timestamp":%d}`, i*7%1280, i*13%800, 40+i%30, i%50, 1764158400000+int64(i)*40)
		case 2:
			s = fmt.Sprintf(`{"type":3,"data":{"source":3,"id":1,"x":0,"y":%d},"timestamp":%d}`, i*3%9000, 1764158400000+int64(i)*40)
		default:
			s = fmt.Sprintf(`{"type":3,"data":{"source":0,"texts":[{"id":%d,"value":"item %d in cart"}],"attributes":[],"removes":[],"adds":[]},"timestamp":%d}`, 100+i%200, i, 1764158400000+int64(i)*40)
		}
		out[i] = json.RawMessage(s)
	}
	return out
}

// BenchmarkWrite100k and BenchmarkRead100k: 100,000 generated events
// (about 14 MB of JSON), the size of a long, busy session.
func BenchmarkWrite100k(b *testing.B) {
	events := generated(100_000)
	var raw int64
	for _, ev := range events {
		raw += int64(len(ev)) + 1
	}
	b.SetBytes(raw)
	var size int64
	for b.Loop() {
		w, _ := NewWriter(io.Discard, testHeader())
		for _, ev := range events {
			w.Write(ev)
		}
		w.Close()
		size = w.Size()
	}
	b.ReportMetric(float64(size), "archive-bytes")
	b.ReportMetric(float64(raw)/float64(size), "ratio")
}

func BenchmarkRead100k(b *testing.B) {
	events := generated(100_000)
	file, _ := writeArchive(b, testHeader(), events)
	var raw int64
	for _, ev := range events {
		raw += int64(len(ev)) + 1
	}
	b.SetBytes(raw)
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
	b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
}
