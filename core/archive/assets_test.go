package archive

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

var (
	pngBytes  = []byte("\x89PNG\r\n\x1a\n pretend image")
	woffBytes = []byte("wOF2 pretend font")
)

// withAssets writes a version 2 archive of the input fixture with a
// manifest of one stored image, one stored font and one missing URL, and
// the two stored assets as data lines.
func withAssets(t testing.TB) ([]byte, []AssetRef, []AssetData) {
	t.Helper()
	png, woff := SumAsset(pngBytes), SumAsset(woffBytes)
	refs := []AssetRef{
		{URL: "https://cdn.example/logo.png", SHA256: png, Type: "image/png", Size: int64(len(pngBytes))},
		{URL: "https://cdn.example/a.woff2", SHA256: woff, Type: "font/woff2", Size: int64(len(woffBytes))},
		{URL: "https://cdn.example/gone.png", Missing: "http 404"},
	}
	data := []AssetData{{SHA256: png, Type: "image/png", Data: pngBytes}, {SHA256: woff, Type: "font/woff2", Data: woffBytes}}
	if data[1].SHA256 < data[0].SHA256 {
		data[0], data[1] = data[1], data[0]
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range loadFixture(t, "input.json") {
		if err := w.Write(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteAssets(refs); err != nil {
		t.Fatal(err)
	}
	for _, d := range data {
		if err := w.WriteAssetData(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), SortAssets(refs), data
}

func TestAssetsRoundTrip(t *testing.T) {
	file, refs, data := withAssets(t)
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if r.Header().Version != 2 {
		t.Errorf("version = %d, want 2", r.Header().Version)
	}
	var got []AssetData
	r.OnAssetData(func(d AssetData) error { got = append(got, d); return nil })
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if want := len(loadFixture(t, "input.json")); n != want {
		t.Errorf("read %d events, want %d", n, want)
	}
	if !reflect.DeepEqual(r.Assets(), refs) {
		t.Errorf("assets = %+v\nwant %+v", r.Assets(), refs)
	}
	if !reflect.DeepEqual(got, data) {
		t.Errorf("asset data = %+v, want %+v", got, data)
	}
	text := zcat(t, file)
	if !strings.Contains(text, "\n"+`{"assets":[{"url":"https://cdn.example/a.woff2"`) {
		t.Errorf("manifest line is not sorted by url or not on its own line")
	}
	if !strings.Contains(text, `{"trailer":{"events":`+fmt.Sprint(n)+`,`) {
		t.Errorf("trailer does not count only the events")
	}
}

func TestVersion1HasNoAssets(t *testing.T) {
	h := testHeader()
	h.Version = Version1
	file, w := writeArchive(t, h, loadFixture(t, "input.json"))
	if err := w.WriteAssets(nil); err == nil {
		t.Error("WriteAssets after Close succeeded")
	}
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if r.Header().Version != 1 || r.Assets() != nil {
		t.Errorf("version %d assets %v, want 1 and nil", r.Header().Version, r.Assets())
	}
	var buf bytes.Buffer
	w1, _ := NewWriter(&buf, h)
	if err := w1.WriteAssets(nil); !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("WriteAssets on a version 1 writer = %v, want ErrUnsupportedVersion", err)
	}
}

func TestVersion2WithoutAssetsHasEmptyManifest(t *testing.T) {
	file, _ := writeArchive(t, testHeader(), loadFixture(t, "input.json"))
	if !strings.Contains(zcat(t, file), "\n{\"assets\":[]}\n{\"trailer\"") {
		t.Fatalf("no empty manifest before the trailer")
	}
	r, _ := NewReader(bytes.NewReader(file))
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if r.Assets() == nil || len(r.Assets()) != 0 {
		t.Errorf("assets = %#v, want an empty list", r.Assets())
	}
}

func TestWriterAssetRules(t *testing.T) {
	sum := SumAsset(pngBytes)
	other := SumAsset([]byte("other"))
	cases := []struct {
		name string
		fn   func(w *Writer) error
	}{
		{"data before manifest", func(w *Writer) error {
			return w.WriteAssetData(AssetData{SHA256: sum, Data: pngBytes})
		}},
		{"two manifests", func(w *Writer) error {
			w.WriteAssets(nil)
			return w.WriteAssets(nil)
		}},
		{"event after manifest", func(w *Writer) error {
			w.WriteAssets(nil)
			return w.Write([]byte(eventLine))
		}},
		{"event that looks like a manifest", func(w *Writer) error { return w.Write([]byte(`{"assets":[]}`)) }},
		{"event that looks like data", func(w *Writer) error { return w.Write([]byte(`{"asset_data":{}}`)) }},
		{"repeated url", func(w *Writer) error {
			return w.WriteAssets([]AssetRef{{URL: "a", Missing: "x"}, {URL: "a", Missing: "y"}})
		}},
		{"no digest and no reason", func(w *Writer) error { return w.WriteAssets([]AssetRef{{URL: "a"}}) }},
		{"digest and reason", func(w *Writer) error {
			return w.WriteAssets([]AssetRef{{URL: "a", SHA256: sum, Missing: "x"}})
		}},
		{"bad digest", func(w *Writer) error { return w.WriteAssets([]AssetRef{{URL: "a", SHA256: "ABC"}}) }},
		{"empty url", func(w *Writer) error { return w.WriteAssets([]AssetRef{{Missing: "x"}}) }},
		{"data not listed", func(w *Writer) error {
			w.WriteAssets([]AssetRef{{URL: "a", SHA256: other}})
			return w.WriteAssetData(AssetData{SHA256: sum, Data: pngBytes})
		}},
		{"data with wrong bytes", func(w *Writer) error {
			w.WriteAssets([]AssetRef{{URL: "a", SHA256: sum}})
			return w.WriteAssetData(AssetData{SHA256: sum, Data: []byte("not it")})
		}},
		{"data twice", func(w *Writer) error {
			w.WriteAssets([]AssetRef{{URL: "a", SHA256: sum}})
			w.WriteAssetData(AssetData{SHA256: sum, Data: pngBytes})
			return w.WriteAssetData(AssetData{SHA256: sum, Data: pngBytes})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := NewWriter(io.Discard, testHeader())
			if err != nil {
				t.Fatal(err)
			}
			if err := c.fn(w); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

const headerLineV2 = `{"format":"loupe-archive","version":2,"site":"demo","session":"s_hand0001","visitor":"v_hand0001","started_at":"2026-11-26T12:00:00Z","ended_at":"2026-11-26T12:00:01Z","pages":["/"]}` + "\n"

// v2Lines hand-builds a version 2 archive whose trailer matches lines, so
// a rejection is for the reason the case names.
func v2Lines(t testing.TB, events int, lines ...string) []byte {
	all := append([]string{headerLineV2}, lines...)
	return gzipLines(t, append(all, trailerFor(events, all...))...)
}

func dataLineFor(sum string, b []byte) string {
	return `{"asset_data":{"sha256":"` + sum + `","type":"image/png","data":"` + base64.StdEncoding.EncodeToString(b) + `"}}` + "\n"
}

func TestReaderAssetRules(t *testing.T) {
	sum := SumAsset(pngBytes)
	other := SumAsset([]byte("other"))
	manifest := `{"assets":[{"url":"https://a/x.png","sha256":"` + sum + `","type":"image/png","size":27}]}` + "\n"
	both := `{"assets":[{"url":"https://a/x.png","sha256":"` + sum + `"},{"url":"https://a/y.png","sha256":"` + other + `"}]}` + "\n"
	first, second := dataLineFor(sum, pngBytes), dataLineFor(other, []byte("other"))
	if sum > other {
		first, second = second, first
	}
	if err := readErr(v2Lines(t, 1, eventLine, manifest, dataLineFor(sum, pngBytes))); err != nil {
		t.Fatalf("hand-built version 2 archive: %v", err)
	}
	if err := readErr(v2Lines(t, 1, eventLine, both, first, second)); err != nil {
		t.Fatalf("hand-built version 2 archive with two data lines: %v", err)
	}
	cases := []struct {
		name string
		file []byte
	}{
		{"no manifest", v2Lines(t, 1, eventLine)},
		{"two manifests", v2Lines(t, 1, eventLine, manifest, manifest)},
		{"event after manifest", v2Lines(t, 2, eventLine, manifest, eventLine)},
		{"data before manifest", v2Lines(t, 1, eventLine, dataLineFor(sum, pngBytes), manifest)},
		{"data not listed", v2Lines(t, 1, eventLine, manifest, dataLineFor(other, []byte("other")))},
		{"data with wrong bytes", v2Lines(t, 1, eventLine, manifest, dataLineFor(sum, []byte("changed")))},
		{"data twice", v2Lines(t, 1, eventLine, manifest, dataLineFor(sum, pngBytes), dataLineFor(sum, pngBytes))},
		{"data out of order", v2Lines(t, 1, eventLine, both, second, first)},
		{"manifest out of order", v2Lines(t, 0, `{"assets":[{"url":"b","missing":"x"},{"url":"a","missing":"x"}]}`+"\n")},
		{"manifest not a list", v2Lines(t, 0, `{"assets":3}`+"\n")},
		{"data line not an object", v2Lines(t, 0, manifest, `{"asset_data":"x"}`+"\n")},
		{"spaced manifest", v2Lines(t, 0, `{ "assets" : []}`+"\n")},
		{"manifest edited after the trailer was made", gzipLines(t, headerLineV2, eventLine,
			strings.Replace(manifest, "x.png", "z.png", 1), trailerFor(1, headerLineV2, eventLine, manifest))},
		{"data line dropped", gzipLines(t, headerLineV2, eventLine, manifest,
			trailerFor(1, headerLineV2, eventLine, manifest, dataLineFor(sum, pngBytes)))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := readErr(c.file); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestAssetsTruncatedAtEveryOffset(t *testing.T) {
	file, _, _ := withAssets(t)
	for n := 0; n < len(file); n++ {
		if err := readErr(file[:n]); !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d of %d bytes: error = %v, want ErrTruncated", n, len(file), err)
		}
	}
}

func TestAssetsTamperedInsideValidGzip(t *testing.T) {
	file, _, _ := withAssets(t)
	text := zcat(t, file)
	for _, edit := range [][2]string{
		{`"http 404"`, `"http 500"`},
		{`"size":`, `"size":1`},
	} {
		edited := strings.Replace(text, edit[0], edit[1], 1)
		if edited == text {
			t.Fatalf("no %s to edit", edit[0])
		}
		if err := readErr(gzipLines(t, edited)); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("edit %s: error = %v, want ErrCorrupt", edit[0], err)
		}
	}
}

func TestOnAssetDataErrorStops(t *testing.T) {
	file, _, _ := withAssets(t)
	r, _ := NewReader(bytes.NewReader(file))
	stop := errors.New("disk full")
	r.OnAssetData(func(AssetData) error { return stop })
	for {
		_, err := r.Next()
		if err == io.EOF {
			t.Fatal("read to the end despite the callback error")
		}
		if err != nil {
			if !errors.Is(err, stop) {
				t.Fatalf("error = %v, want the callback's", err)
			}
			return
		}
	}
}
