package archivetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
)

// assetBackend is a store that keeps archives and page assets side by side.
type assetBackend interface {
	archive.Store
	archive.AssetStore
}

func putAsset(t testing.TB, s archive.AssetStore, b []byte) string {
	t.Helper()
	sum := archive.SumAsset(b)
	if err := s.PutAsset(context.Background(), sum, bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("PutAsset(%.12s): %v", sum, err)
	}
	return sum
}

func readAsset(t testing.TB, s archive.AssetStore, sum string) []byte {
	t.Helper()
	rc, err := s.OpenAsset(context.Background(), sum)
	if err != nil {
		t.Fatalf("OpenAsset(%.12s): %v", sum, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read asset %.12s: %v", sum, err)
	}
	return b
}

func has(t testing.TB, s archive.AssetStore, sum string) bool {
	t.Helper()
	ok, err := s.HasAsset(context.Background(), sum)
	if err != nil {
		t.Fatalf("HasAsset(%.12s): %v", sum, err)
	}
	return ok
}

func testAssetPutHasOpen(t *testing.T, s assetBackend) {
	for _, b := range [][]byte{
		[]byte("\x89PNG\r\n\x1a\n a small picture"),
		{},
		bytes.Repeat([]byte("font "), 200000), // 1 MB
	} {
		sum := archive.SumAsset(b)
		if has(t, s, sum) {
			t.Fatalf("HasAsset(%.12s) before PutAsset = true", sum)
		}
		putAsset(t, s, b)
		if !has(t, s, sum) {
			t.Errorf("HasAsset(%.12s) after PutAsset = false", sum)
		}
		if got := readAsset(t, s, sum); !bytes.Equal(got, b) {
			t.Errorf("OpenAsset(%.12s) = %d bytes, want %d", sum, len(got), len(b))
		}
	}
}

func testAssetMissing(t *testing.T, s assetBackend) {
	putAsset(t, s, []byte("present"))
	sum := archive.SumAsset([]byte("never stored"))
	rc, err := s.OpenAsset(context.Background(), sum)
	if err == nil {
		rc.Close()
		t.Fatal("OpenAsset of a missing asset succeeded")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenAsset(missing) error = %v, want fs.ErrNotExist", err)
	}
	for _, bad := range []string{"", "../../etc/passwd", "ABCDEF", "zz" + sum[2:]} {
		if _, err := s.OpenAsset(context.Background(), bad); err == nil {
			t.Errorf("OpenAsset(%q) succeeded", bad)
		}
		if ok, _ := s.HasAsset(context.Background(), bad); ok {
			t.Errorf("HasAsset(%q) = true", bad)
		}
	}
}

func testAssetPutSameAgain(t *testing.T, s assetBackend) {
	b := []byte("body { background: url(a.png) }")
	sum := putAsset(t, s, b)
	putAsset(t, s, b)
	if got := readAsset(t, s, sum); !bytes.Equal(got, b) {
		t.Errorf("after a second PutAsset the asset reads %q", got)
	}
}

func testAssetDigestMismatch(t *testing.T, s assetBackend) {
	b := []byte("the real bytes")
	sum := archive.SumAsset(b)
	for _, tt := range []struct {
		name string
		data []byte
		size int64
		sum  string
	}{
		{"other bytes", []byte("other bytes!!!"), 14, sum},
		{"short size", b, int64(len(b)) - 1, sum},
		{"long size", b, int64(len(b)) + 1, sum},
		{"uppercase digest", b, int64(len(b)), "A" + sum[1:]},
		{"short digest", b, int64(len(b)), sum[:10]},
	} {
		err := s.PutAsset(context.Background(), tt.sum, bytes.NewReader(tt.data), tt.size)
		if !errors.Is(err, archive.ErrDigestMismatch) {
			t.Errorf("%s: PutAsset error = %v, want ErrDigestMismatch", tt.name, err)
		}
	}
	if has(t, s, sum) {
		t.Error("a rejected PutAsset left the asset stored")
	}
	if entries := listAll(t, s); len(entries) != 0 {
		t.Errorf("a rejected PutAsset left %d listed entries", len(entries))
	}
}

func testAssetUnknownSize(t *testing.T, s assetBackend) {
	b := bytes.Repeat([]byte{7}, 70000)
	sum := archive.SumAsset(b)
	if err := s.PutAsset(context.Background(), sum, bytes.NewReader(b), -1); err != nil {
		t.Fatalf("PutAsset with size -1: %v", err)
	}
	if got := readAsset(t, s, sum); !bytes.Equal(got, b) {
		t.Errorf("asset read back is %d bytes, want %d", len(got), len(b))
	}
}

// testListSkipsAssets puts archives whose keys sort before, around and
// after the assets folder, and many assets, and checks List and its
// pagination return exactly the archives.
func testListSkipsAssets(t *testing.T, s assetBackend) {
	blob := NewBlob(t, "s_assets001", 1)
	want := []string{"a/s_1.loupe", "asset/s_2.loupe", "assets.loupe", "assets0/s_3.loupe", "assetsz/s_4.loupe", "b/s_5.loupe"}
	for _, k := range want {
		put(t, s, k, blob)
	}
	const n = 260
	for i := 0; i < n; i++ {
		putAsset(t, s, []byte(fmt.Sprintf("asset number %d", i)))
	}
	if got := keys(listAll(t, s)); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("List = %v, want %v", got, want)
	}
	var got []string
	cursor := ""
	for pages := 0; pages <= len(want); pages++ {
		page, err := s.List(context.Background(), cursor, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, keys(page)...)
		cursor = page[len(page)-1].Key
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("List one at a time = %v, want %v", got, want)
	}
	page, err := s.List(context.Background(), "asset/s_2.loupe", 2)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(keys(page)) != fmt.Sprint(want[2:4]) {
		t.Errorf("List after asset/s_2.loupe = %v, want %v", keys(page), want[2:4])
	}
}
