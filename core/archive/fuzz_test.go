package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic,
// every failure must be one of the archive errors, and whatever it accepts
// must survive a rewrite: writing the same header and events again gives an
// archive that reads back to the same events.
func FuzzReader(f *testing.F) {
	valid, _ := writeArchive(f, testHeader(), loadFixture(f, "rrweb-test-utils.sampleEvents.json"))
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(gzipLines(f, headerLine, eventLine, trailerFor(1, headerLine, eventLine)))
	f.Add(gzipLines(f, headerLine, eventLine))
	f.Add([]byte{})
	withData, _, _ := withAssets(f)
	f.Add(withData)
	f.Add(withData[:len(withData)*3/4])
	sum := SumAsset(pngBytes)
	manifest := `{"assets":[{"url":"https://a/x.png","sha256":"` + sum + `"},{"url":"https://a/y.png","missing":"http 404"}]}` + "\n"
	f.Add(v2Lines(f, 1, eventLine, manifest, dataLineFor(sum, pngBytes)))
	f.Add(v2Lines(f, 1, eventLine, manifest, eventLine))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			checkArchiveError(t, err)
			return
		}
		defer r.Close()
		var stored []AssetData
		r.OnAssetData(func(d AssetData) error {
			if SumAsset(d.Data) != d.SHA256 {
				t.Fatalf("data line %s handed out with bytes hashing to %s", d.SHA256, SumAsset(d.Data))
			}
			stored = append(stored, d)
			return nil
		})
		var events []json.RawMessage
		for {
			ev, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				checkArchiveError(t, err)
				return
			}
			events = append(events, ev)
		}
		assets := r.Assets()
		if (assets == nil) != (r.Header().Version == Version1) {
			t.Fatalf("version %d archive read with assets %v", r.Header().Version, assets)
		}
		hdr := r.Header()
		// The rewrite is read with the buffers this reader lets go.
		r.Close()
		if _, err := r.Next(); err == nil {
			t.Fatal("a closed reader read on")
		}
		again := rewrite(t, hdr, events, assets, stored)
		r2, err := NewReader(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("rewrite of an accepted archive does not read: %v", err)
		}
		var stored2 []AssetData
		r2.OnAssetData(func(d AssetData) error { stored2 = append(stored2, d); return nil })
		for i := 0; ; i++ {
			ev, err := r2.Next()
			if err == io.EOF {
				if i != len(events) {
					t.Fatalf("rewrite has %d events, want %d", i, len(events))
				}
				if !reflect.DeepEqual(r2.Assets(), assets) || len(stored2) != len(stored) {
					t.Fatalf("rewrite has assets %v and %d data lines, want %v and %d", r2.Assets(), len(stored2), assets, len(stored))
				}
				return
			}
			if err != nil {
				t.Fatalf("rewrite event %d: %v", i, err)
			}
			if want := compact(t, events[i]); string(ev) != want {
				t.Fatalf("rewrite event %d = %s, want %s", i, ev, want)
			}
		}
	})
}

// rewrite writes an accepted archive again through the Writer.
func rewrite(t *testing.T, h Header, events []json.RawMessage, assets []AssetRef, data []AssetData) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatalf("rewrite header: %v", err)
	}
	for i, ev := range events {
		if err := w.Write(ev); err != nil {
			t.Fatalf("rewrite event %d: %v", i, err)
		}
	}
	if h.Version != Version1 {
		if err := w.WriteAssets(assets); err != nil {
			t.Fatalf("rewrite manifest: %v", err)
		}
		for _, d := range data {
			if err := w.WriteAssetData(d); err != nil {
				t.Fatalf("rewrite data %s: %v", d.SHA256, err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkArchiveError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("error %v matches none of ErrCorrupt, ErrTruncated, ErrUnsupportedVersion", err)
	}
}
