package asset

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// demoRecordings loads the demo shop's recorded Chromium visits (NDJSON of
// tracker batches) as one event list per visit.
func demoRecordings(b *testing.B) ([][]rrweb.Event, int64) {
	b.Helper()
	paths, _ := filepath.Glob("../../assets/demo/recordings/*.ndjson.gz")
	if len(paths) == 0 {
		b.Skip("no demo recordings")
	}
	var visits [][]rrweb.Event
	var size int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(nil, 64<<20)
		var evs []rrweb.Event
		for sc.Scan() {
			size += int64(len(sc.Bytes()))
			var batch struct {
				Events []rrweb.Event `json:"events"`
			}
			if err := json.Unmarshal(sc.Bytes(), &batch); err != nil {
				b.Fatal(err)
			}
			evs = append(evs, batch.Events...)
		}
		f.Close()
		visits = append(visits, evs)
	}
	return visits, size
}

// BenchmarkExtractDemoVisits is URL extraction over the demo shop's 10
// recorded visits, as a seal does it.
func BenchmarkExtractDemoVisits(b *testing.B) {
	visits, size := demoRecordings(b)
	events := 0
	for _, v := range visits {
		events += len(v)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, v := range visits {
			Extract(v)
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkScanCSS(b *testing.B) {
	css := []byte{}
	for i := 0; i < 200; i++ {
		css = append(css, `.c{background:url("img/a.png") no-repeat;color:#333} /* note url(x) */ @font-face{src:url(f.woff2) format("woff2")}`...)
	}
	b.SetBytes(int64(len(css)))
	for i := 0; i < b.N; i++ {
		ScanCSS(string(css), "https://cdn.example/site.css")
	}
}
