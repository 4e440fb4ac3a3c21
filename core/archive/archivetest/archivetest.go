// Package archivetest is the conformance suite every archive.Store backend
// runs, so the collector and the workbench can rely on one behaviour
// whether archives live in a folder or a bucket.
package archivetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// Run runs the suite. newStore returns an empty store for each subtest;
// it registers its own cleanup with t.
func Run(t *testing.T, newStore func(t *testing.T) archive.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s archive.Store)
	}{
		{"PutThenOpen", testPutThenOpen},
		{"OpenMissing", testOpenMissing},
		{"EntryDescribesPut", testEntryDescribesPut},
		{"ListOrderCursorLimit", testListOrderCursorLimit},
		{"ListPaginates", testListPaginates},
		{"WrongDigestRejected", testWrongDigestRejected},
		{"NeverHalfVisible", testNeverHalfVisible},
		{"PutSameAgain", testPutSameAgain},
		{"PutDifferentConflicts", testPutDifferentConflicts},
		{"UnknownSize", testUnknownSize},
		{"ContextCancelled", testContextCancelled},
		{"CancelledMidPut", testCancelledMidPut},
		{"HostileKeys", testHostileKeys},
		{"Delete", testDelete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
	// Backends that keep page assets run the asset cases too.
	assetTests := []struct {
		name string
		fn   func(t *testing.T, s assetBackend)
	}{
		{"AssetPutHasOpen", testAssetPutHasOpen},
		{"AssetMissing", testAssetMissing},
		{"AssetPutSameAgain", testAssetPutSameAgain},
		{"AssetDigestMismatch", testAssetDigestMismatch},
		{"AssetUnknownSize", testAssetUnknownSize},
		{"ListSkipsAssets", testListSkipsAssets},
	}
	for _, tt := range assetTests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := newStore(t).(assetBackend)
			if !ok {
				t.Skip("this store keeps no page assets")
			}
			tt.fn(t, s)
		})
	}
}

// Blob is one archive ready to Put.
type Blob struct {
	Data   []byte
	SHA256 string
}

// NewBlob writes a real archive of n events for session; different
// arguments give different bytes.
func NewBlob(t testing.TB, session string, n int) Blob {
	t.Helper()
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, archive.Header{
		Site: "conformance", Session: session, Visitor: "v_conformance",
		StartedAt: time.Unix(1764158400, 0), EndedAt: time.Unix(1764158400+int64(n), 0),
		Pages: []string{"/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		ev := fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":%d,"id":4,"timeOffset":0}]},"timestamp":%d}`, i*7%1280, i*13%800, 1764158400000+int64(i)*50)
		if err := w.Write(json.RawMessage(ev)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return Blob{Data: buf.Bytes(), SHA256: w.Sum()}
}

func put(t testing.TB, s archive.Store, key string, b Blob) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func readKey(t testing.TB, s archive.Store, key string) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return b
}

func listAll(t testing.TB, s archive.Store) []archive.Entry {
	t.Helper()
	entries, err := s.List(context.Background(), "", 0)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return entries
}

func keys(entries []archive.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Key
	}
	return out
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func testPutThenOpen(t *testing.T, s archive.Store) {
	for _, tt := range []struct {
		key    string
		events int
	}{
		{"a.loupe", 0},
		{"2026/11/26/s_open00001.loupe", 50},
		{"deep/er/than/most/collectors/go/s_open00002.loupe", 2000},
	} {
		b := NewBlob(t, "s_open", tt.events)
		put(t, s, tt.key, b)
		if got := readKey(t, s, tt.key); !bytes.Equal(got, b.Data) {
			t.Errorf("Open(%q) = %d bytes (sha256 %.12s), want %d bytes (sha256 %.12s)", tt.key, len(got), digest(got), len(b.Data), b.SHA256)
		}
		if _, _, err := archive.ReadAll(bytes.NewReader(readKey(t, s, tt.key))); err != nil {
			t.Errorf("archive read back from %q: %v", tt.key, err)
		}
	}
}

func testOpenMissing(t *testing.T, s archive.Store) {
	put(t, s, "present.loupe", NewBlob(t, "s_present1", 1))
	for _, key := range []string{"missing.loupe", "present/missing.loupe", "nested/missing.loupe"} {
		rc, err := s.Open(context.Background(), key)
		if err == nil {
			rc.Close()
			t.Fatalf("Open(%q) = nil error, want fs.ErrNotExist", key)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) error = %v, want fs.ErrNotExist", key, err)
		}
	}
}

func testEntryDescribesPut(t *testing.T, s archive.Store) {
	before := time.Now().Add(-time.Minute)
	want := map[string]Blob{
		"x/one.loupe": NewBlob(t, "s_entry0001", 3),
		"x/two.loupe": NewBlob(t, "s_entry0002", 300),
	}
	for k, b := range want {
		put(t, s, k, b)
	}
	entries := listAll(t, s)
	if len(entries) != len(want) {
		t.Fatalf("List = %v, want %d entries", keys(entries), len(want))
	}
	for _, e := range entries {
		b := want[e.Key]
		if e.Size != int64(len(b.Data)) {
			t.Errorf("%s: Size = %d, want %d", e.Key, e.Size, len(b.Data))
		}
		if e.SHA256 != b.SHA256 {
			t.Errorf("%s: SHA256 = %q, want %q", e.Key, e.SHA256, b.SHA256)
		}
		if e.Modified.Before(before) || e.Modified.After(time.Now().Add(time.Minute)) {
			t.Errorf("%s: Modified = %v, want about now", e.Key, e.Modified)
		}
	}
}

// orderKeys is put in this order; byte order differs from the order a
// directory walk gives ("2026-11-26.loupe" < "2026/..." because '-' < '/').
var orderKeys = []string{
	"2026/11/26/b.loupe",
	"2026-11-26.loupe",
	"2026/11/26/a.loupe",
	"2026/11/3.loupe",
	"2026.loupe",
	"2026/11/26-c.loupe",
	"A.loupe",
	"a.loupe",
	"a/b.loupe",
	"a-b.loupe",
	"a0.loupe",
	"z/z/z.loupe",
}

var sortedOrderKeys = []string{
	"2026-11-26.loupe",
	"2026.loupe",
	"2026/11/26-c.loupe",
	"2026/11/26/a.loupe",
	"2026/11/26/b.loupe",
	"2026/11/3.loupe",
	"A.loupe",
	"a-b.loupe",
	"a.loupe",
	"a/b.loupe",
	"a0.loupe",
	"z/z/z.loupe",
}

func testListOrderCursorLimit(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_order0001", 1)
	for _, k := range orderKeys {
		put(t, s, k, b)
	}
	tests := []struct {
		after string
		limit int
		want  []string
	}{
		{"", 0, sortedOrderKeys},
		{"", 3, sortedOrderKeys[:3]},
		{"", -1, sortedOrderKeys},
		{"2026.loupe", 2, []string{"2026/11/26-c.loupe", "2026/11/26/a.loupe"}},
		{"2026/11/26/", 0, sortedOrderKeys[3:]},
		{"2026/11/26/a.loupe", 1, []string{"2026/11/26/b.loupe"}},
		{"2026/11/3.loupe", 0, sortedOrderKeys[6:]},
		{"a", 2, []string{"a-b.loupe", "a.loupe"}},
		{"a.loupe", 0, []string{"a/b.loupe", "a0.loupe", "z/z/z.loupe"}},
		{"z/z/z.loupe", 0, nil},
		{"~", 5, nil},
	}
	for _, tt := range tests {
		got, err := s.List(context.Background(), tt.after, tt.limit)
		if err != nil {
			t.Fatalf("List(%q, %d): %v", tt.after, tt.limit, err)
		}
		if fmt.Sprint(keys(got)) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("List(%q, %d) = %v, want %v", tt.after, tt.limit, keys(got), tt.want)
		}
	}
}

func testListPaginates(t *testing.T, s archive.Store) {
	const n = 120
	b := NewBlob(t, "s_page00001", 1)
	var want []string
	// Reverse insertion order, and a mix of depths.
	for i := n - 1; i >= 0; i-- {
		k := fmt.Sprintf("p/%02d/s_%04d.loupe", i%10, i)
		put(t, s, k, b)
	}
	for d := 0; d < 10; d++ {
		for i := d; i < n; i += 10 {
			want = append(want, fmt.Sprintf("p/%02d/s_%04d.loupe", d, i))
		}
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > n {
			t.Fatalf("pagination does not end after %d pages", pages)
		}
		page, err := s.List(context.Background(), cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 7 {
			t.Fatalf("page of %d entries, limit 7", len(page))
		}
		if len(page) == 0 {
			break
		}
		got = append(got, keys(page)...)
		cursor = page[len(page)-1].Key
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paginated keys = %d keys %v..., want %d keys %v...", len(got), head(got), len(want), head(want))
	}
}

func head(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}

func testWrongDigestRejected(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_digest001", 20)
	other := NewBlob(t, "s_digest002", 20)
	tests := []struct {
		name   string
		key    string
		data   []byte
		size   int64
		sha256 string
	}{
		{"another archive's digest", "wrong/sha.loupe", b.Data, int64(len(b.Data)), other.SHA256},
		{"size too large", "wrong/size-big.loupe", b.Data, int64(len(b.Data)) + 1, b.SHA256},
		{"size too small", "wrong/size-small.loupe", b.Data, int64(len(b.Data)) - 1, b.SHA256},
		{"digest not hex", "wrong/not-hex.loupe", b.Data, int64(len(b.Data)), "zz" + b.SHA256[2:]},
		{"digest too short", "wrong/short.loupe", b.Data, int64(len(b.Data)), b.SHA256[:10]},
		{"digest upper case", "wrong/upper.loupe", b.Data, int64(len(b.Data)), "AB" + b.SHA256[2:]},
		{"bytes flipped in transit", "wrong/flipped.loupe", flip(b.Data), int64(len(b.Data)), b.SHA256},
	}
	for _, tt := range tests {
		err := s.Put(context.Background(), tt.key, bytes.NewReader(tt.data), tt.size, tt.sha256)
		if !errors.Is(err, archive.ErrDigestMismatch) {
			t.Errorf("%s: Put error = %v, want ErrDigestMismatch", tt.name, err)
		}
		if rc, err := s.Open(context.Background(), tt.key); !errors.Is(err, fs.ErrNotExist) {
			if err == nil {
				rc.Close()
			}
			t.Errorf("%s: Open after a rejected Put: error = %v, want fs.ErrNotExist", tt.name, err)
		}
	}
	if entries := listAll(t, s); len(entries) != 0 {
		t.Errorf("List after rejected Puts = %v, want nothing", keys(entries))
	}
}

func flip(b []byte) []byte {
	out := bytes.Clone(b)
	out[len(out)/2] ^= 0x10
	return out
}

func testPutSameAgain(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_again0001", 40)
	put(t, s, "again/s.loupe", b)
	put(t, s, "again/s.loupe", b)
	entries := listAll(t, s)
	if len(entries) != 1 || entries[0].SHA256 != b.SHA256 {
		t.Fatalf("List = %+v, want one entry with sha256 %s", entries, b.SHA256)
	}
	if got := readKey(t, s, "again/s.loupe"); !bytes.Equal(got, b.Data) {
		t.Errorf("content changed after a second Put of the same bytes")
	}
}

func testPutDifferentConflicts(t *testing.T, s archive.Store) {
	a := NewBlob(t, "s_conflict1", 10)
	b := NewBlob(t, "s_conflict2", 10)
	put(t, s, "c.loupe", a)
	err := s.Put(context.Background(), "c.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256)
	if !errors.Is(err, archive.ErrConflict) {
		t.Fatalf("Put of different bytes to a used key: error = %v, want ErrConflict", err)
	}
	if got := readKey(t, s, "c.loupe"); !bytes.Equal(got, a.Data) {
		t.Errorf("the first archive was replaced")
	}
	if e := listAll(t, s); len(e) != 1 || e[0].SHA256 != a.SHA256 {
		t.Errorf("List = %+v, want the first archive only", e)
	}
}

func testUnknownSize(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_unsized01", 100)
	if err := s.Put(context.Background(), "unsized.loupe", bytes.NewReader(b.Data), -1, b.SHA256); err != nil {
		t.Fatalf("Put with size -1: %v", err)
	}
	e := listAll(t, s)
	if len(e) != 1 || e[0].Size != int64(len(b.Data)) {
		t.Fatalf("List = %+v, want one entry of %d bytes", e, len(b.Data))
	}
}

func testContextCancelled(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_ctx000001", 5)
	put(t, s, "kept.loupe", b)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, "cancelled.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: error = %v, want context.Canceled", err)
	}
	if _, err := s.List(ctx, "", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("List with a cancelled context: error = %v, want context.Canceled", err)
	}
	if rc, err := s.Open(ctx, "kept.loupe"); !errors.Is(err, context.Canceled) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("Open with a cancelled context: error = %v, want context.Canceled", err)
	}
	if e := listAll(t, s); fmt.Sprint(keys(e)) != "[kept.loupe]" {
		t.Errorf("List = %v, want only kept.loupe", keys(e))
	}
}

// slowReader hands out data in chunks, pausing between them, and can be
// told to stop at a point so a test can act while a Put is in flight.
type slowReader struct {
	data  []byte
	chunk int
	pause time.Duration
	// midway is closed once half the data has been read.
	midway chan struct{}
	half   bool
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := min(r.chunk, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	if !r.half && len(r.data) <= r.chunk*4 {
		r.half = true
		close(r.midway)
	}
	return n, nil
}

func newSlowReader(data []byte) *slowReader {
	chunk := max(len(data)/40, 1)
	return &slowReader{data: data, chunk: chunk, pause: 10 * time.Millisecond, midway: make(chan struct{})}
}

func testNeverHalfVisible(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_slow00001", 3000)
	const key = "slow/s.loupe"
	done := make(chan error, 1)
	go func() {
		done <- s.Put(context.Background(), key, newSlowReader(b.Data), int64(len(b.Data)), b.SHA256)
	}()
	seen := 0
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("slow Put: %v", err)
			}
			finished = true
		default:
		}
		entries, err := s.List(context.Background(), "", 0)
		if err != nil {
			t.Fatalf("List during Put: %v", err)
		}
		for _, e := range entries {
			if e.Key != key || e.Size != int64(len(b.Data)) || e.SHA256 != b.SHA256 {
				t.Fatalf("List during Put shows %+v, want nothing or the whole archive (%d bytes)", e, len(b.Data))
			}
		}
		rc, err := s.Open(context.Background(), key)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			t.Fatalf("Open during Put: %v", err)
		default:
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, b.Data) {
				t.Fatalf("Open during Put read %d bytes (%v), want nothing or all %d", len(got), err, len(b.Data))
			}
			seen++
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := readKey(t, s, key); !bytes.Equal(got, b.Data) {
		t.Fatalf("after Put: %d bytes, want %d", len(got), len(b.Data))
	}
}

func testCancelledMidPut(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_midput001", 3000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := newSlowReader(b.Data)
	go func() {
		<-r.midway
		cancel()
	}()
	err := s.Put(ctx, "mid/s.loupe", r, int64(len(b.Data)), b.SHA256)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put cancelled midway: error = %v, want context.Canceled", err)
	}
	if e := listAll(t, s); len(e) != 0 {
		t.Errorf("List after a cancelled Put = %v, want nothing", keys(e))
	}
	if rc, err := s.Open(context.Background(), "mid/s.loupe"); !errors.Is(err, fs.ErrNotExist) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("Open after a cancelled Put: error = %v, want fs.ErrNotExist", err)
	}
}

// HostileKeys are keys every store must refuse.
var HostileKeys = []string{
	"",
	"../escape.loupe",
	"a/../../escape.loupe",
	"a/../b.loupe",
	"./a.loupe",
	"/etc/passwd.loupe",
	"//host/share.loupe",
	"a//b.loupe",
	"a/./b.loupe",
	`a\b.loupe`,
	`..\..\escape.loupe`,
	"C:/x.loupe",
	"a.loupe/",
	"a.loupe/b.loupe",
	"no-suffix",
	"archive.txt",
	".hidden.loupe",
	"a/.tmp.loupe",
	"nul\x00.loupe",
	"line\nbreak.loupe",
	"space .loupe",
	"ünïcode.loupe",
	"%2e%2e/escape.loupe",
	"a?b.loupe",
	"a#b.loupe",
	"a*.loupe",
}

func testHostileKeys(t *testing.T, s archive.Store) {
	b := NewBlob(t, "s_hostile01", 1)
	ctx := context.Background()
	for _, key := range HostileKeys {
		if err := s.Put(ctx, key, bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); !errors.Is(err, archive.ErrInvalidKey) {
			t.Errorf("Put(%q) error = %v, want ErrInvalidKey", key, err)
		}
		rc, err := s.Open(ctx, key)
		if err == nil {
			rc.Close()
		}
		if !errors.Is(err, archive.ErrInvalidKey) {
			t.Errorf("Open(%q) error = %v, want ErrInvalidKey", key, err)
		}
	}
	if e := listAll(t, s); len(e) != 0 {
		t.Errorf("List after hostile Puts = %v, want nothing", keys(e))
	}
}
